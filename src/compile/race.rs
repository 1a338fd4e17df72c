//! Which trims are races: `{| f | Rwait(d) >> c |}`, the body of
//! `timeout`, with `f` one call of a pure immediate site and `c` a
//! constant, becomes a [`Code::Race`] that one token runs (see
//! `runtime/race.rs`, the module that runs it). The resolver and the
//! inliner make every trim through [`trim`].

use crate::sites::time::Rwait;
use crate::value::code::{Code, Operand, Race, NO_SLOT};
use crate::value::Value;
use std::sync::Arc;

/// `{| body |}`, as a race where it is one (see the module's
/// documentation).
pub(crate) fn trim(body: Arc<Code>) -> Code {
    match race_parts(&body) {
        Some((left, delay, timer, after)) => Code::Race(Box::new(Race {
            left,
            delay,
            timer,
            after,
            trim: Arc::new(Code::Trim(body)),
        })),
        None => Code::Trim(body),
    }
}

type Parts = (Arc<Code>, Operand, Arc<Code>, Value);

fn race_parts(body: &Code) -> Option<Parts> {
    let Code::Parallel(left, timer) = body else {
        return None;
    };
    let Code::Call {
        target: Operand::Const(Value::Site(site)),
        ..
    } = &**left
    else {
        return None;
    };
    if !(site.is_immediate() && site.is_pure()) {
        return None;
    }
    let Code::Sequential(wait, NO_SLOT, after) = &**timer else {
        return None;
    };
    let (
        Code::Call {
            target: Operand::Const(Value::Site(rwait)),
            args,
            ..
        },
        Code::Const(after),
    ) = (&**wait, &**after)
    else {
        return None;
    };
    match &**args {
        [delay] if rwait.as_any().is::<Rwait>() => {
            Some((left.clone(), delay.clone(), timer.clone(), after.clone()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::value::code::Code;
    use std::sync::Arc;

    /// The resolved top level of `src`, compiled with the prelude.
    fn top(src: &str) -> Arc<Code> {
        let engine = crate::engine::Engine::new();
        let compiled = engine.compile("test", src).expect("compiles");
        compiled.code.code.clone()
    }

    /// What `f` of `Rwait(1) >a> f` compiles to.
    fn after_a(f: &str) -> Arc<Code> {
        let code = top(&format!("Rwait(1) >a> {f}"));
        match &*code {
            Code::Sequential(_, _, right) => right.clone(),
            other => panic!("not a sequential: {other:?}"),
        }
    }

    #[test]
    fn a_timeout_of_a_variable_is_a_race() {
        let code = after_a("timeout(a, 100)");
        let Code::Race(race) = &*code else {
            panic!("not a race: {code:?}")
        };
        assert!(matches!(&*race.trim, Code::Trim(_)), "{:?}", race.trim);
        assert_eq!(race.after.to_string(), "None()");
    }

    #[test]
    fn other_trims_stay_trims() {
        for src in [
            // The left side has an effect.
            "{| Println(a) | Rwait(1) >> 2 |}",
            // The timer side publishes what a call returns.
            "{| Some(a) | Rwait(1) >> Println(2) |}",
            // Not a timer.
            "{| Some(a) | Rtime() >> 2 |}",
            // Three sides.
            "{| Some(a) | Rwait(1) >> 2 | 3 |}",
        ] {
            let code = after_a(src);
            assert!(matches!(&*code, Code::Trim(_)), "{src}: {code:?}");
        }
    }
}
