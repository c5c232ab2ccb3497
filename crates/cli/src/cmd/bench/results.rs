//! The figures every section appends to, written as `target/bench/results.json`: an array
//! of `{"name", "value", "unit", "target", "reference", "ratio"}` (the exact form external
//! checks read). A run merges its figures into the file by name, so `--only sync` and
//! `--only april-first` run one after the other leave both sets.

use anyhow::Context;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// One measured figure.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Figure {
    /// Dotted and stable, e.g. `sync.pull`.
    pub name: String,
    pub value: f64,
    /// `s`, `ms`, `ratio`, `count`, `share`, `bytes`, …
    pub unit: String,
    /// The goal this figure is held to, in the same unit, when there is one.
    pub target: Option<f64>,
    /// What the figure is compared with (e.g. raw paging seconds), when there is one.
    pub reference: Option<f64>,
}

impl Figure {
    /// `value ÷ reference`, when there is a reference.
    pub fn ratio(&self) -> Option<f64> {
        self.reference.filter(|r| *r != 0.0).map(|r| self.value / r)
    }

    fn to_json(&self) -> Value {
        let num = |v: Option<f64>| {
            v.filter(|x| x.is_finite())
                .map_or(Value::Null, |x| json!(x))
        };
        json!({
            "name": self.name,
            "value": num(Some(self.value)),
            "unit": self.unit,
            "target": num(self.target),
            "reference": num(self.reference),
            "ratio": num(self.ratio()),
        })
    }
}

/// The figures of one run.
#[derive(Debug, Default)]
pub(super) struct Results {
    figures: Vec<Figure>,
}

impl Results {
    /// Adds (or replaces, by name) a figure without a reference.
    pub fn add(&mut self, name: &str, value: f64, unit: &str, target: Option<f64>) {
        self.add_figure(Figure {
            name: name.into(),
            value,
            unit: unit.into(),
            target,
            reference: None,
        });
    }

    /// Adds (or replaces, by name) a figure measured against a reference.
    pub fn add_against(
        &mut self,
        name: &str,
        value: f64,
        unit: &str,
        target: Option<f64>,
        reference: f64,
    ) {
        self.add_figure(Figure {
            name: name.into(),
            value,
            unit: unit.into(),
            target,
            reference: Some(reference),
        });
    }

    pub fn add_figure(&mut self, f: Figure) {
        self.figures.retain(|g| g.name != f.name);
        self.figures.push(f);
    }

    /// `bench/results.json` in the cargo target directory that holds this executable
    /// (`target/release/qabyldau` → `target/bench/results.json`), else in the work
    /// directory's parent.
    pub fn default_path() -> PathBuf {
        std::env::current_exe()
            .ok()
            .and_then(|exe| {
                let profile_dir = exe.parent()?;
                let target = if profile_dir.file_name()? == "deps" {
                    profile_dir.parent()?.parent()?
                } else {
                    profile_dir.parent()?
                };
                Some(target.join("bench").join("results.json"))
            })
            .unwrap_or_else(|| PathBuf::from("target/bench/results.json"))
    }

    /// Merges this run's figures into the file at `path` (figures of the same name are
    /// replaced, others kept) and returns how many this run wrote. Nothing is written
    /// when the run measured nothing.
    pub fn write(&self, path: &Path) -> anyhow::Result<usize> {
        if self.figures.is_empty() {
            return Ok(0);
        }
        let mut all: Vec<Value> = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice::<Vec<Value>>(&bytes).unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        all.retain(|v| {
            let name = v.get("name").and_then(Value::as_str);
            !self.figures.iter().any(|f| Some(f.name.as_str()) == name)
        });
        all.extend(self.figures.iter().map(Figure::to_json));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(&all)?;
        std::fs::write(path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(self.figures.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_merge_into_the_file_by_name_with_their_ratio() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench").join("results.json");
        let mut a = Results::default();
        a.add_against("sync.pull", 3.0, "s", Some(1.5), 2.0);
        a.add("journal.p95", 1.0, "ms", Some(5.0));
        assert_eq!(a.write(&path).unwrap(), 2);
        let mut b = Results::default();
        b.add("sync.pull", 2.5, "s", None);
        b.add("april_first.lost", 0.0, "count", Some(0.0));
        b.write(&path).unwrap();
        let v: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let names: Vec<&str> = v.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["journal.p95", "sync.pull", "april_first.lost"]);
        assert_eq!(v[1]["value"], json!(2.5));
        assert_eq!(v[1]["ratio"], Value::Null);
        for f in &v {
            for k in ["name", "value", "unit", "target", "reference", "ratio"] {
                assert!(f.get(k).is_some(), "{k} in {f}");
            }
        }
        let mut c = Results::default();
        c.add_against("sync.pull", 3.0, "s", Some(1.5), 2.0);
        assert_eq!(c.figures[0].ratio(), Some(1.5));
    }
}
