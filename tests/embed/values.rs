//! Values crossing between Rust and Orc: conversions both ways, through a
//! program and back.

use crate::{shown, sim};
use orc::embed::arity;
use orc::{ConversionError, Engine, Value};
use std::collections::{BTreeMap, HashMap};

/// Runs `Echo(input)` (a host site returning its argument) after a trip
/// through Orc's own operations, and returns the publication.
fn through_orc(input: Value, expression: &str) -> Value {
    let mut engine = Engine::new();
    engine.define("input", input);
    engine.register_fn("Echo", |args| Ok(arity::<1>(args)?[0].clone()));
    let program = engine.compile("p", expression).unwrap();
    let report = engine.execute_blocking(&program, sim()).finish();
    assert!(report.is_clean(), "{:?}", report.errors);
    assert_eq!(report.publications.len(), 1);
    report.publications[0].clone()
}

#[test]
fn scalars_round_trip() {
    assert_eq!(
        i64::try_from(through_orc(Value::from(i64::MIN), "Echo(input)")),
        Ok(i64::MIN)
    );
    assert_eq!(
        i32::try_from(through_orc(Value::from(-7i32), "Echo(input) * 2")),
        Ok(-14)
    );
    assert_eq!(
        u32::try_from(through_orc(Value::from(7u32), "input + 1")),
        Ok(8)
    );
    assert_eq!(
        usize::try_from(through_orc(Value::from(3usize), "input")),
        Ok(3)
    );
    assert_eq!(
        f64::try_from(through_orc(Value::from(1.25), "input * 2")),
        Ok(2.5)
    );
    assert_eq!(
        f64::try_from(through_orc(Value::from(0.1), "input")),
        Ok(0.1)
    );
    assert_eq!(
        bool::try_from(through_orc(Value::from(true), "~input")),
        Ok(false)
    );
    assert_eq!(
        String::try_from(through_orc(Value::from("héllo"), r#"input + "!""#)),
        Ok("héllo!".to_string())
    );
    assert_eq!(
        <()>::try_from(through_orc(Value::from(()), "input")),
        Ok(())
    );
    // Integers beyond i64 come back as big integers.
    assert_eq!(
        through_orc(Value::from(i64::MAX), "input + 1").to_string(),
        "9223372036854775808"
    );
}

#[test]
fn integers_out_of_range_are_refused() {
    let big = through_orc(Value::from(u32::MAX), "input + 1");
    let err: ConversionError = u32::try_from(&big).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected an integer in the range of u32, but got Integer 4294967296"
    );
    assert!(i32::try_from(&big).is_err());
    assert_eq!(i64::try_from(&big), Ok(4294967296));
    assert!(usize::try_from(&Value::from(-1)).is_err());
    assert!(i64::try_from(&Value::from(1.5)).is_err());
}

#[test]
fn containers_round_trip() {
    let v = through_orc(Value::from(vec![1, 2, 3]), "map(lambda(x) = x * 10, input)");
    assert_eq!(Vec::<i64>::try_from(&v), Ok(vec![10, 20, 30]));

    let pair = through_orc(Value::from((1, "a")), "input >(n, s)> (s, n)");
    assert_eq!(<(String, i32)>::try_from(pair), Ok(("a".to_string(), 1)));
    let four = through_orc(Value::from((1, 2.5, true, "x")), "input");
    assert_eq!(
        <(i64, f64, bool, String)>::try_from(&four),
        Ok((1, 2.5, true, "x".to_string()))
    );
    let three = Value::from((1, 2, 3));
    assert!(<(i64, i64)>::try_from(&three).is_err());

    let some = through_orc(Value::from(Some(5)), "input >Some(x)> Some(x + 1)");
    assert_eq!(Option::<i64>::try_from(&some), Ok(Some(6)));
    let none = through_orc(Value::from(None::<i64>), "input >None()> None()");
    assert_eq!(Option::<i64>::try_from(none), Ok(None));
    assert_eq!(Option::<String>::try_from(Value::Null), Ok(None));
    assert_eq!(
        Value::from(Some("x")).into_option(),
        Ok(Some(Value::from("x")))
    );

    let map = BTreeMap::from([("a".to_string(), 1), ("b".to_string(), 2)]);
    let record = through_orc(
        Value::from(map.clone()),
        "input + {. c = input.a + input.b .}",
    );
    let back: BTreeMap<String, i64> = record.clone().try_into().unwrap();
    let mut expected = map.clone();
    expected.insert("c".to_string(), 3);
    assert_eq!(back, expected);
    let hash: HashMap<String, i64> = (&record).try_into().unwrap();
    assert_eq!(hash.len(), 3);
    let from_hash = Value::from(HashMap::from([("k".to_string(), "v")]));
    assert_eq!(from_hash.to_string(), r#"{. k = "v" .}"#);

    let nested = Value::from(vec![Some(vec![(1, "one")]), None]);
    let back: Vec<Option<Vec<(i64, String)>>> = Vec::try_from(&nested).unwrap();
    assert_eq!(back, vec![Some(vec![(1, "one".to_string())]), None]);
}

#[test]
fn a_mismatch_says_where_it_is() {
    let v = Value::from(vec![(1, "a"), (2, "b")]);
    let err = Vec::<(i64, i64)>::try_from(&v).unwrap_err();
    assert_eq!(
        err.to_string(),
        "in element 0 of the list: in component 1 of the tuple: expected an integer in the range of i64, but got String \"a\""
    );
    let err = bool::try_from(&Value::from("yes")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a boolean, but got String \"yes\""
    );
}

#[test]
fn published_values_print_as_orc_writes_them() {
    let v = through_orc(
        Value::from(vec![1, 2]),
        r#"(input, "s", {. a = 1 .}, Some(signal))"#,
    );
    assert_eq!(shown(&[v]), [r#"([1, 2], "s", {. a = 1 .}, Some(signal))"#]);
}

/// Runs `f` on a thread with a small stack, where recursing on a deep
/// value's depth would overflow it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// A list nested `depth` deep around `[]`, built in Rust.
fn nested(depth: usize) -> Value {
    (0..depth).fold(Value::list(Vec::<Value>::new()), |v, _| {
        Value::list(vec![v])
    })
}

#[test]
fn deep_values_pass_between_the_host_and_a_program() {
    on_small_stack(|| {
        let mut engine = Engine::new();
        // A million levels built by the host, a hundred thousand by the
        // program; closures and objects around them.
        engine.register_fn("Nested", |args| {
            let n = usize::try_from(&arity::<1>(args)?[0])?;
            Ok(nested(n))
        });
        let program = engine
            .compile(
                "deep",
                r#"
                def nest(0, acc) = acc
                def nest(n, acc) = nest(n - 1, [acc])
                val mine = nest(100000, [])
                Nested(100000) = mine
                | Nested(1000000) >x> (x = Nested(1000000), x = mine)
                | mine
                | (lambda() = mine)
                | new { val inner = mine }
                "#,
            )
            .unwrap();
        let report = engine.execute_blocking(&program, sim()).finish();
        assert!(report.is_clean(), "{:?}", report.errors);
        let mut shown: Vec<String> = report.publications.iter().map(Value::to_string).collect();
        shown.sort_by_key(String::len);
        assert_eq!(shown[..2], ["true", "(true, false)"]);
        assert!(shown[2].starts_with("<closure lambda"), "{}", shown[2]);
        assert!(shown[3] == "[".repeat(100_001) + &"]".repeat(100_001));
        assert!(shown[4] == "{ inner = ".to_string() + &shown[3] + " }");
        // Converted, compared and dropped here.
        let deep = report
            .publications
            .iter()
            .find(|v| matches!(v, Value::List(_)))
            .unwrap();
        let inner = Vec::<Value>::try_from(deep).unwrap();
        assert!(inner.len() == 1 && Value::from(inner).equals(&nested(100_000)));
        let err = Vec::<i64>::try_from(deep).unwrap_err().to_string();
        let shown_start = format!("but got List {}...", "[".repeat(57));
        assert!(err.ends_with(&shown_start), "{err}");
    });
}

#[cfg(feature = "serde")]
mod serde {
    use super::{nested, on_small_stack};
    use orc::Value;
    use serde::de::{DeserializeSeed, SeqAccess, Visitor};
    use serde::Deserialize;

    /// A deserializer of nothing but sequences nested `.0` deep around
    /// `0`, made as they are read: a stand-in for a format with no depth
    /// limit of its own.
    struct Nested(usize);

    impl<'de> serde::Deserializer<'de> for Nested {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            match self.0 {
                0 => v.visit_i64(0),
                n => v.visit_seq(Once(Some(Nested(n - 1)))),
            }
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map struct enum identifier ignored_any
        }
    }

    /// A sequence of one element.
    struct Once(Option<Nested>);

    impl<'de> SeqAccess<'de> for Once {
        type Error = serde::de::value::Error;
        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Self::Error> {
            self.0.take().map(|n| seed.deserialize(n)).transpose()
        }
    }

    #[test]
    fn deep_values_serialize_and_deserialize() {
        on_small_stack(|| {
            let depth = 1_000_000;
            let v = nested(depth);
            let json = serde_json::to_string(&v).unwrap();
            assert!(json == "[".repeat(depth + 1) + &"]".repeat(depth + 1));
            // serde_json reads at most 128 levels: an error, not a crash.
            let err = serde_json::from_str::<Value>(&json).unwrap_err();
            assert!(err.to_string().contains("recursion limit"), "{err}");
            // A format without such a limit.
            let back = Value::deserialize(Nested(depth)).unwrap();
            let expected = (0..depth).fold(Value::from(0), |v, _| Value::list(vec![v]));
            assert!(back.equals(&expected));
        });
    }

    #[test]
    fn json_round_trips_through_value() {
        let text = r#"{"id":7,"name":"orc","ratio":0.5,"tags":["a","b"],"none":null,"ok":true}"#;
        let v: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            v.to_string(),
            r#"{. id = 7, name = "orc", ratio = 0.5, tags = ["a", "b"], none = null, ok = true .}"#
        );
        assert_eq!(serde_json::to_string(&v).unwrap(), text);
    }

    #[test]
    fn options_tuples_and_big_numbers_serialize() {
        let v = Value::from((Some(1), None::<i64>, u64::MAX));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            format!("[1,null,{}]", u64::MAX)
        );
        let back: Value = serde_json::from_str(&format!("{}", u64::MAX)).unwrap();
        assert_eq!(back, Value::from(u64::MAX));
    }

    #[test]
    fn sites_do_not_serialize() {
        let engine = orc::Engine::new();
        let site = engine.globals()["Println"].clone();
        let err = serde_json::to_string(&site).unwrap_err();
        assert!(err.to_string().contains("cannot be serialized"), "{err}");
    }
}
