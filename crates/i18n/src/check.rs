//! What keeps the catalogues whole (issue 17): each file parses, both languages have the
//! same message ids, and each message has the same variables in both.

use crate::CATALOGUES;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// A message id and the variables its text uses.
pub type Messages = BTreeMap<String, BTreeSet<String>>;

/// The messages of one catalogue text, or its syntax errors.
pub fn messages(source: &str) -> Result<Messages, Vec<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .map_err(|(_, errors)| errors.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>())?;
    let mut out = Messages::new();
    for entry in resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(p) = &m.value {
                pattern_vars(p, &mut vars);
            }
            out.insert(m.id.name.to_string(), vars);
        }
    }
    Ok(out)
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Inline(i) => inline_vars(i, vars),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
        }
        _ => {}
    }
}

/// Everything wrong with the catalogues, one line each; empty when they are whole.
pub fn problems() -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (area, kk, ru) in CATALOGUES {
        let (kk, ru) = match (messages(kk), messages(ru)) {
            (Ok(kk), Ok(ru)) => (kk, ru),
            (kk, ru) => {
                for (lang, r) in [("kk", kk), ("ru", ru)] {
                    if let Err(e) = r {
                        out.push(format!("{lang}/{area}.ftl does not parse: {e:?}"));
                    }
                }
                continue;
            }
        };
        for (id, vars) in &kk {
            match ru.get(id) {
                None => out.push(format!("{area}: {id} is in kk, not in ru")),
                Some(ru_vars) if ru_vars != vars => out.push(format!(
                    "{area}: {id} uses {vars:?} in kk but {ru_vars:?} in ru"
                )),
                Some(_) => {}
            }
            if let Some(other) = seen.insert(id.clone(), area) {
                out.push(format!("{id} is in both {other}.ftl and {area}.ftl"));
            }
        }
        for id in ru.keys().filter(|id| !kk.contains_key(*id)) {
            out.push(format!("{area}: {id} is in ru, not in kk"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_are_whole() {
        let problems = problems();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn a_missing_id_and_a_changed_variable_are_found() {
        let kk = messages("a = А { $n }\nb = Б\n").unwrap();
        let ru = messages("a = А { $count }\n").unwrap();
        assert_eq!(kk["a"], BTreeSet::from(["n".to_string()]));
        assert_ne!(kk["a"], ru["a"]);
        assert!(!ru.contains_key("b"));
        assert!(messages("a = { $\n").is_err());
    }
}
