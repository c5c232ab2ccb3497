//! The PKCS#11 modules this desk may load (issue 15, R-34). Loading a module runs its
//! code in the desk's process, so the window never names one by path: the desk makes
//! the list — the configured module (`QABYLDAU_PKCS11_MODULE`) and the vendors' modules
//! installed in their known places (`signing::installed_module_paths`) — gives each an
//! id, and the window sends an id back. An id not in the list loads nothing
//! (`PKCS11_MODULE_UNKNOWN`); a path sent as an id is just an unknown id.

use crate::Error;
use std::path::{Path, PathBuf};

/// One module the desk may load, under the id the window sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkcs11Module {
    /// The module's file name (`libsofthsm2.so`), `#2`, `#3` … after it when two
    /// folders hold the same name.
    pub id: String,
    pub path: PathBuf,
}

/// The list, configured module first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pkcs11Modules(Vec<Pkcs11Module>);

impl Pkcs11Modules {
    /// The modules of this PC: `QABYLDAU_PKCS11_MODULE` when it names an existing file,
    /// then the installed vendor modules.
    pub fn on_this_pc() -> Pkcs11Modules {
        let configured = std::env::var_os("QABYLDAU_PKCS11_MODULE")
            .map(PathBuf::from)
            .filter(|p| p.is_file());
        Pkcs11Modules::from_paths(
            configured
                .into_iter()
                .chain(signing::installed_module_paths()),
        )
    }

    /// A list of these paths, in this order, each once.
    pub fn from_paths(paths: impl IntoIterator<Item = PathBuf>) -> Pkcs11Modules {
        let mut modules: Vec<Pkcs11Module> = Vec::new();
        for path in paths {
            if modules.iter().any(|m| m.path == path) {
                continue;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "pkcs11".to_string());
            let mut id = name.clone();
            let mut n = 1;
            while modules.iter().any(|m| m.id == id) {
                n += 1;
                id = format!("{name}#{n}");
            }
            modules.push(Pkcs11Module { id, path });
        }
        Pkcs11Modules(modules)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Pkcs11Module> {
        self.0.iter()
    }

    /// The module the signing dialog lists first (and an empty id means).
    pub fn default_module(&self) -> Option<&Pkcs11Module> {
        self.0.first()
    }

    /// The module of `id`; the default one for an empty id.
    pub fn by_id(&self, id: &str) -> Result<&Pkcs11Module, Error> {
        let found = if id.is_empty() {
            self.default_module()
        } else {
            self.0.iter().find(|m| m.id == id)
        };
        found.ok_or_else(|| Error::Pkcs11ModuleUnknown { id: id.to_string() })
    }

    /// The module at `path` when it is in the list (the CLI and tests that name a path).
    pub fn by_path(&self, path: &Path) -> Option<&Pkcs11Module> {
        self.0.iter().find(|m| m.path == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_file_names_made_unique_and_paths_are_not_ids() {
        let modules = Pkcs11Modules::from_paths([
            PathBuf::from("/opt/vendor/libkaztoken.so"),
            PathBuf::from("/usr/lib/softhsm/libsofthsm2.so"),
            PathBuf::from("/opt/vendor/libkaztoken.so"),
            PathBuf::from("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
        ]);
        let ids: Vec<_> = modules.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            ["libkaztoken.so", "libsofthsm2.so", "libsofthsm2.so#2"]
        );
        assert_eq!(
            modules.by_id("libsofthsm2.so#2").unwrap().path,
            PathBuf::from("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
        );
        assert_eq!(modules.by_id("").unwrap().id, "libkaztoken.so");
        for sent in [
            "/usr/lib/softhsm/libsofthsm2.so",
            r"\\host\share\evil.dll",
            "../libsofthsm2.so",
            "LIBSOFTHSM2.SO",
        ] {
            assert_eq!(
                modules.by_id(sent).unwrap_err().code(),
                "PKCS11_MODULE_UNKNOWN",
                "{sent}"
            );
        }
        assert_eq!(
            Pkcs11Modules::default().by_id("").unwrap_err().code(),
            "PKCS11_MODULE_UNKNOWN"
        );
    }
}
