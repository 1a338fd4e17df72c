//! The cycle collector (`src/value/cycles.rs`): refs, cells, arrays,
//! channels, objects and closures that reach themselves are freed once
//! nothing else reaches them, during a run and at its end, and what is
//! still reachable is left alone.
//!
//! A host site `Watch(v)` keeps a weak handle on the allocation behind
//! `v` (a site, an object, a closure's instance); `Alive()` publishes how
//! many watched values are still alive. Each kind is also run with the
//! collector off, where its cycles must stay alive: the checks can fail.

use orc::value::closure::Instance;
use orc::value::object::Object;
use orc::value::site::Site;
use orc::{Engine, Events, RunOptions, RunOutcome, RuntimeError, Value};
use std::sync::{Arc, Mutex, Weak};

/// A weak handle on what a value points at.
enum Handle {
    Site(Weak<dyn Site>),
    Object(Weak<Object>),
    Instance(Weak<Instance>),
}

impl Handle {
    fn of(v: &Value) -> Handle {
        match v {
            Value::Site(s) => Handle::Site(Arc::downgrade(s)),
            Value::Object(o) => Handle::Object(Arc::downgrade(&o.object)),
            Value::Closure(c) => Handle::Instance(Arc::downgrade(&c.instance)),
            other => panic!("Watch: cannot watch {other}"),
        }
    }

    fn is_alive(&self) -> bool {
        match self {
            Handle::Site(w) => w.strong_count() > 0,
            Handle::Object(w) => w.strong_count() > 0,
            Handle::Instance(w) => w.strong_count() > 0,
        }
    }
}

#[derive(Clone, Default)]
struct Watched(Arc<Mutex<Vec<Handle>>>);

impl Watched {
    fn alive(&self) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.is_alive())
            .count()
    }

    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Events for Log {
    fn publish(&mut self, value: &Value) {
        self.0.lock().unwrap().push(value.to_string());
    }
    fn print(&mut self, text: &str) {
        self.0.lock().unwrap().push(text.trim_end().to_string());
    }
    fn error(&mut self, error: &RuntimeError) {
        self.0
            .lock()
            .unwrap()
            .push(format!("Error: {}", error.message));
    }
}

struct Finished {
    lines: Vec<String>,
    watched: Watched,
    stats: orc::value::cycles::CycleStats,
}

/// Runs `src` (under simulated time) with `Watch` and `Alive`, the
/// collector on or off, and drops the run.
fn run(src: &str, collect: bool) -> Finished {
    let watched = Watched::default();
    let mut engine = Engine::new();
    let w = watched.clone();
    engine.register_fn("Watch", move |args| {
        w.0.lock().unwrap().push(Handle::of(&args[0]));
        Ok(Value::Signal)
    });
    let w = watched.clone();
    engine.register_fn("Alive", move |_| Ok(Value::Int(w.alive() as i64)));
    let program = engine.compile("cycles.orc", src).expect("compiles");
    let log = Log::default();
    let mut run = engine.start(
        &program,
        Box::new(log.clone()),
        RunOptions::new().simulated_time(),
    );
    run.set_collect_cycles(collect);
    assert_eq!(run.run_blocking(), RunOutcome::Halted);
    let stats = run.cycle_stats();
    drop(run);
    let lines = log.0.lock().unwrap().clone();
    Finished {
        lines,
        watched,
        stats,
    }
}

/// One definition `make()` per kind: it builds a cycle through a new
/// value and watches that value.
const KINDS: &[(&str, &str)] = &[
    ("Ref", "def make() = Ref() >r> r := r >> Watch(r)"),
    (
        "Ref in a list",
        "def make() = Ref() >r> r := [1, r] >> Watch(r)",
    ),
    ("Cell", "def make() = Cell() >c> c := (c, c) >> Watch(c)"),
    ("Array", "def make() = Array(3) >a> a(1) := a >> Watch(a)"),
    (
        // The element reference holds the array's cells, not the value
        // `a`: the cycle is the cells and the element.
        "Array element",
        "def make() = Array(2) >a> a(0) >e> a(1) := e >> Watch(e)",
    ),
    ("Channel", "def make() = Channel() >c> c.put(c) >> Watch(c)"),
    (
        "BoundedChannel",
        "def make() = BoundedChannel(2) >c> c.put(Some(c)) >> Watch(c)",
    ),
    (
        // A put whose token is killed stays in the queue with its item.
        "SyncChannel",
        "def make() = SyncChannel() >c> {| c.put(c) | Rwait(1) |} >> Watch(c)",
    ),
    (
        "channel method",
        "def make() = Channel() >c> c.get >g> c.put(g) >> Watch(g)",
    ),
    (
        "Dictionary",
        "def make() = Dictionary() >d> d.self := d >> Watch(d)",
    ),
    (
        "closure",
        "def make() = Ref() >r> (def f() = r  r := f >> Watch(f))",
    ),
    (
        "closures in a record",
        "def make() = Ref() >r> (def f() = r?  r := {. f = f .} >> Watch(r))",
    ),
    (
        "object with a val holding it",
        "def make() = new { val me = this } >o> Watch(o)",
    ),
    (
        "object with a method reading its own val",
        "def make() = new { val me = this  def m() = me } >o> Watch(o)",
    ),
    (
        "object in a Ref it holds",
        "def make() = Ref() >r> new { val ref = r } >o> r := o >> Watch(o)",
    ),
    (
        "object knot",
        "val Cons = new { def apply(h, t) = new { val head = h  val tail = t } }
         def make() = new { val ring = Cons(1, Cons(2, ring)) } >o> o.ring >x> Watch(x)",
    ),
];

fn program(make: &str, n: usize) -> String {
    format!(
        "{make}
         def loop(0) = signal
         def loop(n) = make() >> loop(n - 1)
         loop({n}) >> Alive()"
    )
}

#[test]
fn each_kind_is_freed_at_the_end_of_a_run() {
    for (kind, make) in KINDS {
        let done = run(&program(make, 10), true);
        assert_eq!(done.lines, ["10"], "{kind}: the program's output");
        assert_eq!(done.watched.count(), 10, "{kind}: values watched");
        assert_eq!(done.watched.alive(), 0, "{kind}: cycles left after the run");
    }
}

#[test]
fn without_the_collector_each_kind_leaks() {
    // The checks of the other tests can fail: these are cycles.
    for (kind, make) in KINDS {
        let done = run(&program(make, 10), false);
        assert_eq!(
            done.watched.alive(),
            10,
            "{kind}: cycles kept without the collector"
        );
        assert_eq!(done.stats.collections, 0);
    }
}

#[test]
fn each_kind_is_freed_during_a_run() {
    // Twice as many cycles as a collection waits for (each container
    // weighs at least one): at least half are freed before the program
    // asks how many are alive, less the one the program may still hold
    // when a collection runs (a turn can end anywhere in the loop).
    // (Without the collector, all of them are alive: see the test above.)
    let n = 2 * orc::value::cycles::MIN_THRESHOLD;
    for (kind, make) in KINDS {
        let done = run(&program(make, n), true);
        let alive: usize = done.lines[0].parse().unwrap();
        assert!(
            alive <= orc::value::cycles::MIN_THRESHOLD + 1,
            "{kind}: {alive} of {n} cycles alive during the run"
        );
        assert!(done.stats.collections >= 2, "{kind}: {:?}", done.stats);
        assert_eq!(done.watched.alive(), 0, "{kind}: cycles left after the run");
    }
}

#[test]
fn reachable_cycles_are_kept_and_keep_working() {
    // A ref holding itself, an array and a channel holding each other and
    // an object holding itself, kept by a top-level `val`, by a token
    // waiting on them and by a closure, stay whole while tens of
    // thousands of garbage cycles are collected around them.
    let src = r#"
        def garbage(0) = signal
        def garbage(n) = Ref() >r> r := r >> garbage(n - 1)
        val r = Ref()
        val a = Array(2)
        val c = Channel()
        val o = new { val me = this  val n = 42 }
        def later() = Rwait(10) >> (r?, a(0)?, c.getD())
        r := r >> a(0) := c >> c.put(a) >> a(1) := o >>
        ( garbage(50000) >> a(1)? >p> (r? = r, a(0)? = c, p.me.n) >x> Println(x) >> stop
        | later() >(x, y, z)> z(1)? >p> Println((x = r, y = c, z = a, p.me.me.n)) >> stop
        ; Watch(r) >> Watch(o) >> Alive())
    "#;
    let done = run(src, true);
    assert_eq!(
        done.lines,
        ["(true, true, 42)", "(true, true, true, 42)", "2"]
    );
    assert!(done.stats.collections >= 4, "{:?}", done.stats);
    assert!(done.stats.freed >= 40_000, "{:?}", done.stats);
    assert_eq!(done.watched.alive(), 0);
}

#[test]
fn what_the_host_holds_outlives_the_run() {
    // A published cycle is the host's: the run's last collection leaves
    // it whole, however long the host keeps it after the run.
    let watched = Watched::default();
    let mut engine = Engine::new();
    let w = watched.clone();
    engine.register_fn("Watch", move |args| {
        w.0.lock().unwrap().push(Handle::of(&args[0]));
        Ok(Value::Signal)
    });
    let program = engine
        .compile(
            "held.orc",
            "Ref() >r> r := [r, 1] >> new { val me = this } >o> Watch(r) >> Watch(o) >> (r, o)",
        )
        .unwrap();
    let kept = Arc::new(Mutex::new(Vec::new()));
    struct Keep(Arc<Mutex<Vec<Value>>>);
    impl Events for Keep {
        fn publish(&mut self, value: &Value) {
            self.0.lock().unwrap().push(value.clone());
        }
        fn print(&mut self, _: &str) {}
        fn error(&mut self, e: &RuntimeError) {
            panic!("{}", e.message)
        }
    }
    let mut run = engine.start(
        &program,
        Box::new(Keep(kept.clone())),
        RunOptions::new().simulated_time(),
    );
    assert_eq!(run.run_blocking(), RunOutcome::Halted);
    drop(run);
    assert_eq!(watched.alive(), 2);
    let value = kept.lock().unwrap()[0].to_string();
    assert_eq!(value, "(Ref([Ref(...), 1]), { me = { ... } })");
}

#[test]
fn deep_and_long_cycles_are_freed_without_recursion() {
    // A ref holding a list of a million cells that holds the ref at its
    // end; one holding itself in a list nested a million deep; a chain of
    // 200,000 refs (each made holding the next), closed by writing the
    // first into the last; the same with arrays and objects.
    let src = r#"
        def list(0, acc) = acc
        def list(n, acc) = list(n - 1, n : acc)
        def nest(0, x) = x
        def nest(n, x) = nest(n - 1, [x])
        def refs(0, inner) = inner
        def refs(n, inner) = refs(n - 1, Ref(inner))
        def arrays(0, inner) = inner
        def arrays(n, inner) = Array(1) >a> a(0) := inner >> arrays(n - 1, a)
        def objects(0, inner) = inner
        def objects(n, inner) = objects(n - 1, new { val next = inner })
        #
        ( Ref() >r> r := list(1000000, [r]) >> Watch(r)
        , Ref() >r> r := nest(1000000, r) >> Watch(r)
        , Ref() >last> refs(200000, last) >first> last := first >> Watch(first)
        , Array(1) >z> arrays(200000, z) >first> z(0) := first >> Watch(first)
        , Ref() >cell> objects(100000, cell) >first> cell := first >> Watch(first)
        ) >> "built"
    "#;
    let done = run(src, true);
    assert_eq!(done.lines, ["\"built\""]);
    assert_eq!(done.watched.count(), 5);
    assert_eq!(done.watched.alive(), 0);
}

#[test]
fn declarations_keep_their_cycles_across_inputs() {
    // The REPL's way: each input is a run of its own; a cycle bound to a
    // global by one input is the engine's, and later runs (which write
    // into it and collect) leave it whole.
    let mut engine = Engine::new();
    let mut enter = |text: &str| {
        let input = engine.load_input("<input>", text).expect("compiles");
        let log = Log::default();
        let declared = engine
            .declare(
                input,
                Box::new(log.clone()),
                RunOptions::new().simulated_time(),
            )
            .expect("declares");
        if let Some(body) = declared.body {
            let mut run = engine.start(
                &body,
                Box::new(log.clone()),
                RunOptions::new().simulated_time(),
            );
            assert_eq!(run.run_blocking(), RunOutcome::Halted);
            run.collect_cycles();
        }
        let lines = log.0.lock().unwrap().clone();
        lines
    };
    enter("val r = Ref()  val o = new { val me = this  val n = 7 }");
    enter("r := (r, o) >> signal");
    enter(
        "def garbage(0) = signal
         def garbage(n) = Ref() >s> s := s >> garbage(n - 1)
         garbage(30000)",
    );
    assert_eq!(enter("r? >(x, y)> (x = r, y.me.me.n)"), ["(true, 7)"]);
}
