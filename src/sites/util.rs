//! Helpers for writing sites: the one way to define one ([`site!`]),
//! argument checking, and sites that are functions of their arguments.
//! The checks the evaluator shares with sites ([`arity`], [`expected`],
//! [`index_arg`]: tuple indexing is the evaluator's) are defined with the
//! site interface, in `value/site.rs`.

pub use crate::value::site::{arity, expected, index_arg};
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::Value;

/// Implements [`Site`](crate::value::site::Site) for a type, writing the
/// parts every site repeats: `site!(impl T as "Name": immediate, pure,
/// built_on["Rwait"] { fn call(..) .. })` gives `T` the name `"Name"`,
/// `as_any`, the flags listed ([`Site::is_immediate`], [`Site::is_pure`],
/// [`Site::built_on`]) and the methods in braces. Without `as "Name"` the
/// braces define `name` (a site whose name is data); generic parameters go
/// in brackets after `impl`. Every built-in site is defined through it.
///
/// [`Site::is_immediate`]: crate::value::site::Site::is_immediate
/// [`Site::is_pure`]: crate::value::site::Site::is_pure
/// [`Site::built_on`]: crate::value::site::Site::built_on
macro_rules! site {
    (impl[$($gen:tt)*] $($rest:tt)*) => {
        $crate::sites::util::site!(@impl [$($gen)*] $($rest)*);
    };
    (impl $($rest:tt)*) => {
        $crate::sites::util::site!(@impl [] $($rest)*);
    };
    (@impl [$($gen:tt)*] $ty:ty $(as $name:literal)? $(: $($flag:ident $([$($on:literal),*])?),+)? { $($items:tt)* }) => {
        impl<$($gen)*> $crate::value::site::Site for $ty {
            $(fn name(&self) -> &str {
                $name
            })?
            fn as_any(&self) -> &dyn ::std::any::Any {
                self
            }
            $($($crate::sites::util::site!(@$flag $([$($on),*])?);)+)?
            $($items)*
        }
    };
    (@immediate) => {
        fn is_immediate(&self) -> bool {
            true
        }
    };
    (@pure) => {
        fn is_pure(&self) -> bool {
            true
        }
    };
    (@built_on [$($on:literal),*]) => {
        fn built_on(&self) -> &'static [&'static str] {
            &[$($on),*]
        }
    };
}
pub(crate) use site;

/// [`Site::call_member`](crate::value::site::Site::call_member) inside
/// a [`site!`]: `call_member!(|self, name, hint, args, cx| body)` writes
/// the method's long signature once, here.
macro_rules! call_member {
    (|$s:ident, $name:ident, $hint:ident, $args:ident, $cx:ident| $body:expr) => {
        fn call_member(
            &$s,
            $name: &str,
            $hint: &$crate::value::site::MemberHint,
            $args: &[$crate::value::Value],
            $cx: &mut $crate::value::site::SiteCx<'_>,
        ) -> Option<$crate::value::site::Outcome> {
            $body
        }
    };
}
pub(crate) use call_member;

pub fn int_arg(name: &str, v: &Value) -> Result<i64, SiteError> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(expected(name, "an integer", other)),
    }
}

pub fn str_arg<'a>(name: &str, v: &'a Value) -> Result<&'a str, SiteError> {
    v.as_str().ok_or_else(|| expected(name, "a string", v))
}

pub fn bool_arg(name: &str, v: &Value) -> Result<bool, SiteError> {
    v.as_bool().ok_or_else(|| expected(name, "a boolean", v))
}

/// A site that is a function of its arguments, answering at once:
/// [`Func`] (it may read or make state: `Channel()`) or [`PureFunc`] (its
/// result depends only on its arguments and holds no state, arithmetic:
/// [`Site::is_pure`](crate::value::site::Site::is_pure)).
pub struct FuncSite<const PURE: bool> {
    pub name: &'static str,
    pub f: fn(&[Value]) -> Result<Value, SiteError>,
}

/// See [`FuncSite`].
pub type Func = FuncSite<false>;

/// `(name, a Func site named name)`: how the sites tables bind one.
pub fn func(
    name: &'static str,
    f: fn(&[Value]) -> Result<Value, SiteError>,
) -> (&'static str, Value) {
    (name, super::site_value(Func { name, f }))
}
/// See [`FuncSite`].
pub type PureFunc = FuncSite<true>;

site!(impl[const PURE: bool] FuncSite<PURE>: immediate {
    fn name(&self) -> &str {
        self.name
    }
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        (self.f)(args).into()
    }
    fn is_pure(&self) -> bool {
        PURE
    }
});
