//! Every node's span covers its own text: children lie inside their
//! parents, and re-parsing the text of any expression node gives the same
//! tree.

use orc::diagnostics::{SourceId, Span};
use orc::syntax::ast::*;
use orc::syntax::{parse_expr, parse_program};

use crate::sexpr;

const SAMPLES: &[&str] = &[
    "def f(x :: Integer, y : ys) :: Integer if (x :> 0) = x + f(x - 1, ys)\nf(3, [1])",
    "val (a, b) = (1, 2)\na >x> (b | x) <y< {| y |} ; -3 ** 2 :: Integer",
    "type T[A] = L() | N(T[A], _)\nclass C extends D with E { s # val v :: T[Integer] }\nnew C { val v = 1 }.v?",
    "lambda[A](x :: A) :: A = if x = 1 then { _ + x } else [x, x.y(1), super.z] :!: A",
    "import site S = \"s\"\ninclude \"i\"\n{. a = ~true, b = (0-)(1) .} >> f[Integer](2)",
    "site s(T) :: T\ndef g(Some(x) as o, {. k = -1.5 .}) = o\ng(1, 2) >> stop",
];

fn text(src: &str, sp: Span) -> &str {
    &src[sp.start as usize..sp.end as usize]
}

fn inside(child: Span, parent: Span, what: &str) {
    assert!(
        parent.start <= child.start && child.end <= parent.end,
        "{what} span {child:?} outside its parent {parent:?}"
    );
}

struct Walker<'a> {
    src: &'a str,
    exprs: Vec<(Span, String)>,
}

impl Walker<'_> {
    fn expr(&mut self, e: &Expr) {
        self.exprs.push((e.span, sexpr::expr(e)));
        let sub = |c: &Expr, w: &mut Self| {
            inside(c.span, e.span, "expression");
            w.expr(c);
        };
        match &e.kind {
            ExprKind::Super(x) => inside(x.span, e.span, "name"),
            ExprKind::List(es) | ExprKind::Tuple(es) => es.iter().for_each(|c| sub(c, self)),
            ExprKind::Record(fs) => fs.iter().for_each(|(x, c)| {
                inside(x.span, e.span, "field");
                sub(c, self)
            }),
            ExprKind::Call {
                target,
                type_args,
                args,
            } => {
                sub(target, self);
                for t in type_args.iter().flatten() {
                    self.ty(t, e.span);
                }
                args.iter().for_each(|c| sub(c, self));
            }
            ExprKind::Field { target, name } => {
                inside(name.span, e.span, "field name");
                sub(target, self);
            }
            ExprKind::Deref(c) | ExprKind::Trim(c) | ExprKind::Section(c) => sub(c, self),
            ExprKind::Prefix { operand, .. } => sub(operand, self),
            ExprKind::Binary { left, right, .. }
            | ExprKind::Parallel(left, right)
            | ExprKind::Otherwise(left, right) => {
                sub(left, self);
                sub(right, self);
            }
            ExprKind::Sequential {
                left,
                pattern,
                right,
            }
            | ExprKind::Pruning {
                left,
                pattern,
                right,
            } => {
                sub(left, self);
                if let Some(p) = pattern {
                    self.pat(p, e.span);
                }
                sub(right, self);
            }
            ExprKind::Lambda(l) => {
                l.params.iter().for_each(|p| self.pat(p, e.span));
                if let Some(t) = &l.return_type {
                    self.ty(t, e.span);
                }
                sub(&l.body, self);
            }
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                sub(cond, self);
                sub(then, self);
                sub(otherwise, self);
            }
            ExprKind::Declare { decl, body } => {
                self.decl(decl, e.span);
                sub(body, self);
            }
            ExprKind::Ascribe { expr, ty, .. } => {
                sub(expr, self);
                self.ty(ty, e.span);
            }
            ExprKind::New(c) => self.class(c, e.span),
            ExprKind::Literal(_)
            | ExprKind::Var(_)
            | ExprKind::Placeholder
            | ExprKind::Stop
            | ExprKind::This => {
                assert!(!text(self.src, e.span).is_empty());
            }
        }
    }

    fn pat(&mut self, p: &Pattern, parent: Span) {
        inside(p.span, parent, "pattern");
        match &p.kind {
            PatternKind::Tuple(ps) | PatternKind::List(ps) => {
                ps.iter().for_each(|c| self.pat(c, p.span))
            }
            PatternKind::Cons(a, b) => {
                self.pat(a, p.span);
                self.pat(b, p.span);
            }
            PatternKind::Record(fs) => fs.iter().for_each(|(_, c)| self.pat(c, p.span)),
            PatternKind::Call { name, args } => {
                inside(name.span, p.span, "constructor");
                args.iter().for_each(|c| self.pat(c, p.span));
            }
            PatternKind::As(c, x) => {
                self.pat(c, p.span);
                inside(x.span, p.span, "as name");
            }
            PatternKind::Typed(c, t) => {
                self.pat(c, p.span);
                self.ty(t, p.span);
            }
            PatternKind::Wildcard | PatternKind::Var(_) | PatternKind::Literal(_) => {}
        }
    }

    fn ty(&mut self, t: &Type, parent: Span) {
        inside(t.span, parent, "type");
        match &t.kind {
            TypeKind::Var(_) => {}
            TypeKind::App(x, ts) => {
                inside(x.span, t.span, "type name");
                ts.iter().for_each(|c| self.ty(c, t.span));
            }
            TypeKind::Tuple(ts) => ts.iter().for_each(|c| self.ty(c, t.span)),
            TypeKind::Record(fs) => fs.iter().for_each(|(_, c)| self.ty(c, t.span)),
            TypeKind::Lambda { params, ret, .. } => {
                params.iter().for_each(|c| self.ty(c, t.span));
                self.ty(ret, t.span);
            }
        }
    }

    fn decl(&mut self, d: &Decl, parent: Span) {
        inside(d.span, parent, "declaration");
        let sp = d.span;
        match &d.kind {
            DeclKind::Val { pattern, expr } => {
                self.pat(pattern, sp);
                inside(expr.span, sp, "value");
                self.expr(expr);
            }
            DeclKind::ValSig { name, ty } => {
                inside(name.span, sp, "name");
                if let Some(t) = ty {
                    self.ty(t, sp);
                }
            }
            DeclKind::Def(c) | DeclKind::Site(c) => {
                inside(c.name.span, sp, "name");
                c.params.iter().for_each(|p| self.pat(p, sp));
                if let Some(t) = &c.return_type {
                    self.ty(t, sp);
                }
                if let Some(g) = &c.guard {
                    inside(g.span, sp, "guard");
                    self.expr(g);
                }
                inside(c.body.span, sp, "body");
                self.expr(&c.body);
            }
            DeclKind::DefSig(s) | DeclKind::SiteSig(s) => {
                s.param_types.iter().for_each(|t| self.ty(t, sp));
                self.ty(&s.return_type, sp);
            }
            DeclKind::Class { extends, body, .. } => {
                if let Some(c) = extends {
                    self.class(c, sp);
                }
                self.body(body, sp);
            }
            DeclKind::TypeAlias { ty, .. } => self.ty(ty, sp),
            DeclKind::Datatype { constructors, .. } => {
                for c in constructors {
                    inside(c.name.span, sp, "constructor");
                    c.fields.iter().flatten().for_each(|t| self.ty(t, sp));
                }
            }
            DeclKind::ImportSite { .. }
            | DeclKind::ImportClass { .. }
            | DeclKind::ImportType { .. }
            | DeclKind::Include { .. }
            | DeclKind::Included { .. } => {}
        }
    }

    fn body(&mut self, b: &ClassBody, parent: Span) {
        inside(b.span, parent, "class body");
        b.decls.iter().for_each(|d| self.decl(d, b.span));
    }

    fn class(&mut self, c: &ClassExpr, parent: Span) {
        match c {
            ClassExpr::Body(b) => self.body(b, parent),
            ClassExpr::Var(x) => inside(x.span, parent, "class name"),
            ClassExpr::Mixin(a, b) => {
                self.class(a, parent);
                self.class(b, parent);
            }
            ClassExpr::Subclass(a, b) => {
                self.class(a, parent);
                self.body(b, parent);
            }
        }
    }
}

#[test]
fn children_lie_inside_parents_and_expressions_reparse() {
    for src in SAMPLES {
        let program = parse_program(src, SourceId(0)).unwrap();
        let whole = Span::new(SourceId(0), 0, src.len());
        let mut w = Walker {
            src,
            exprs: Vec::new(),
        };
        for d in &program.decls {
            w.decl(d, whole);
        }
        if let Some(e) = &program.body {
            inside(e.span, whole, "body");
            w.expr(e);
        }
        assert!(w.exprs.len() >= 4, "{src}");
        // The text of each expression node parses to that same node.
        for (sp, node) in w.exprs {
            let piece = text(src, sp);
            let again = parse_expr(piece, SourceId(0))
                .unwrap_or_else(|d| panic!("{piece:?} from {src:?} does not reparse: {d}"));
            assert_eq!(sexpr::expr(&again), node, "{piece:?}");
        }
    }
}

#[test]
fn spans_of_simple_nodes() {
    let src = "f(x) + 1";
    let e = parse_expr(src, SourceId(0)).unwrap();
    assert_eq!((e.span.start, e.span.end), (0, 8));
    let ExprKind::Binary { left, right, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(text(src, left.span), "f(x)");
    assert_eq!(text(src, right.span), "1");
    // A parenthesised operand starts the enclosing node at its `(`.
    let src = "(a | b) >> c";
    let e = parse_expr(src, SourceId(0)).unwrap();
    assert_eq!(text(src, e.span), src);
    let src = "-3";
    assert_eq!(text(src, parse_expr(src, SourceId(0)).unwrap().span), "-3");
}
