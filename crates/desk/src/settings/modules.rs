//! Which PKCS#11 libraries the desk may load (R-34, issue 15): the modules configured in
//! the settings and those found at the usual install paths of the token vendors used in
//! Kazakhstan. The window only ever names a module by the id given here; a path from
//! the UI never reaches the loader.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Error;

/// The operating system whose paths are meant. Passed in so that the rules for Windows
/// paths are tested on Linux too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetOs {
    Windows,
    Linux,
    MacOs,
}

impl TargetOs {
    /// The OS this build runs on.
    pub fn current() -> TargetOs {
        if cfg!(windows) {
            TargetOs::Windows
        } else if cfg!(target_os = "macos") {
            TargetOs::MacOs
        } else {
            TargetOs::Linux
        }
    }
}

/// A token vendor and where its installer puts the PKCS#11 module.
#[derive(Debug, Clone, Copy)]
pub struct Vendor {
    pub name: &'static str,
    pub windows: &'static [&'static str],
    pub linux: &'static [&'static str],
    pub macos: &'static [&'static str],
}

impl Vendor {
    fn paths(&self, os: TargetOs) -> &'static [&'static str] {
        match os {
            TargetOs::Windows => self.windows,
            TargetOs::Linux => self.linux,
            TargetOs::MacOs => self.macos,
        }
    }
}

/// The usual install paths (installer/README.md lists them for IT). A module elsewhere
/// is added in the configuration file or on the settings screen.
pub const VENDORS: &[Vendor] = &[
    Vendor {
        name: "Kaztoken",
        windows: &[
            r"C:\Windows\System32\kaztoken.dll",
            r"C:\Program Files\Kaztoken\kaztoken.dll",
        ],
        linux: &["/usr/lib/libkaztoken.so", "/usr/local/lib/libkaztoken.so"],
        macos: &["/usr/local/lib/libkaztoken.dylib"],
    },
    Vendor {
        name: "aKey",
        windows: &[
            r"C:\Windows\System32\akey_pkcs11.dll",
            r"C:\Program Files\aKey\akey_pkcs11.dll",
        ],
        linux: &[
            "/usr/lib/libakey_pkcs11.so",
            "/usr/local/lib/libakey_pkcs11.so",
        ],
        macos: &[],
    },
    Vendor {
        name: "SafeNet eToken",
        windows: &[r"C:\Windows\System32\eTPKCS11.dll"],
        linux: &[
            "/usr/lib/libeTPkcs11.so",
            "/usr/lib64/libeTPkcs11.so",
            "/usr/lib/x86_64-linux-gnu/libeTPkcs11.so",
        ],
        macos: &["/usr/local/lib/libeTPkcs11.dylib"],
    },
    Vendor {
        name: "JaCarta",
        windows: &[r"C:\Windows\System32\jcPKCS11-2.dll"],
        linux: &[
            "/usr/lib/libjcPKCS11-2.so",
            "/usr/lib/x86_64-linux-gnu/libjcPKCS11-2.so",
        ],
        macos: &["/Library/AladdinRD/JaCartaUC/lib/libjcPKCS11-2.dylib"],
    },
    Vendor {
        name: "Rutoken",
        windows: &[r"C:\Windows\System32\rtPKCS11ECP.dll"],
        linux: &[
            "/usr/lib/librtpkcs11ecp.so",
            "/usr/lib/x86_64-linux-gnu/librtpkcs11ecp.so",
            "/opt/aktivco/rutokenecp/x86_64/librtpkcs11ecp.so",
        ],
        macos: &["/Library/Frameworks/rtpkcs11ecp.framework/rtpkcs11ecp"],
    },
    Vendor {
        name: "OpenSC",
        windows: &[r"C:\Windows\System32\opensc-pkcs11.dll"],
        linux: &[
            "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
            "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so",
        ],
        macos: &["/Library/OpenSC/lib/opensc-pkcs11.so"],
    },
    Vendor {
        name: "SoftHSM2",
        windows: &[r"C:\SoftHSM2\lib\softhsm2-x64.dll"],
        linux: &[
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        ],
        macos: &["/usr/local/lib/softhsm/libsofthsm2.so"],
    },
];

/// How a module came into the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleOrigin {
    /// At a vendor's usual install path.
    Found { vendor: &'static str },
    /// Named in the configuration (file, environment or settings screen).
    Configured,
}

/// A PKCS#11 module the desk may load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkcs11Module {
    /// Stable, opaque: the first 12 hex digits of the SHA-256 of the path.
    pub id: String,
    pub path: PathBuf,
    pub vendor: Option<&'static str>,
    pub origin: ModuleOrigin,
    /// The file is there now (a configured module may be missing).
    pub present: bool,
}

/// The modules of this machine: configured ones first (the IT person's choice is the
/// default), then those found; each path once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleList {
    modules: Vec<Pkcs11Module>,
}

pub fn module_id(path: &Path) -> String {
    let digest = Sha256::digest(path.to_string_lossy().as_bytes());
    hex::encode(&digest[..6])
}

fn vendor_of(path: &Path, os: TargetOs) -> Option<&'static str> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    VENDORS
        .iter()
        .find(|v| {
            v.paths(os).iter().any(|p| {
                let file = p.rsplit(['/', '\\']).next().unwrap_or(p);
                file.to_lowercase() == name
            })
        })
        .map(|v| v.name)
}

impl ModuleList {
    /// `exists` tells whether a file is there (the real file system in the shells, a set
    /// of paths in tests).
    pub fn build(configured: &[PathBuf], os: TargetOs, exists: impl Fn(&Path) -> bool) -> Self {
        ModuleList::build_resolving(configured, os, exists, Path::to_path_buf)
    }

    /// As [`ModuleList::build`]; `real` names the file a path leads to, so that one module
    /// reached by two paths (a symlink) is listed, and loaded, once.
    pub fn build_resolving(
        configured: &[PathBuf],
        os: TargetOs,
        exists: impl Fn(&Path) -> bool,
        real: impl Fn(&Path) -> PathBuf,
    ) -> Self {
        let mut modules: Vec<Pkcs11Module> = Vec::new();
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut push = |path: PathBuf, vendor: Option<&'static str>, origin: ModuleOrigin| {
            let file = real(&path);
            if modules.iter().any(|m| m.path == path) || seen.contains(&file) {
                return;
            }
            let present = exists(&path);
            if origin != ModuleOrigin::Configured && !present {
                return;
            }
            if present {
                seen.push(file);
            }
            modules.push(Pkcs11Module {
                id: module_id(&path),
                path,
                vendor,
                origin,
                present,
            });
        };
        for path in configured {
            push(path.clone(), vendor_of(path, os), ModuleOrigin::Configured);
        }
        for vendor in VENDORS {
            for p in vendor.paths(os) {
                push(
                    PathBuf::from(p),
                    Some(vendor.name),
                    ModuleOrigin::Found {
                        vendor: vendor.name,
                    },
                );
            }
        }
        ModuleList { modules }
    }

    /// On this machine's file system.
    pub fn discover(configured: &[PathBuf]) -> Self {
        ModuleList::build_resolving(
            configured,
            TargetOs::current(),
            |p| p.is_file(),
            |p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()),
        )
    }

    pub fn all(&self) -> &[Pkcs11Module] {
        &self.modules
    }

    /// The modules that are there now, for the signing dialog.
    pub fn present(&self) -> impl Iterator<Item = &Pkcs11Module> {
        self.modules.iter().filter(|m| m.present)
    }

    /// The module with this id. An id the desk did not give is refused: the UI cannot
    /// make the desk load a library of its choosing.
    pub fn get(&self, id: &str) -> Result<&Pkcs11Module, Error> {
        self.modules
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| Error::Pkcs11ModuleUnknown { id: id.to_string() })
    }

    /// The first module that is there: the signing dialog's default.
    pub fn default_module(&self) -> Option<&Pkcs11Module> {
        self.present().next()
    }
}

/// A module path the desk accepts into its configuration: absolute, on a local disk (a
/// `\\host\share\x.dll` would load code from the network), and a shared library by name.
pub fn check_module_path(path: &str, os: TargetOs) -> Result<PathBuf, Error> {
    let refuse = |why: &'static str| Error::Pkcs11ModuleRefused {
        path: path.to_string(),
        why,
    };
    let p = path.trim();
    if p.is_empty() {
        return Err(refuse("empty"));
    }
    if p.chars().any(char::is_control) {
        return Err(refuse("control characters"));
    }
    let network = p.starts_with(r"\\") || p.starts_with("//") || p.contains("://");
    if network {
        return Err(refuse("a network path"));
    }
    let local_absolute = match os {
        TargetOs::Windows => {
            let b = p.as_bytes();
            b.len() > 3
                && b[0].is_ascii_alphabetic()
                && b[1] == b':'
                && matches!(b[2], b'\\' | b'/')
        }
        TargetOs::Linux | TargetOs::MacOs => p.starts_with('/'),
    };
    if !local_absolute {
        return Err(refuse("not an absolute path on this computer"));
    }
    let lower = p.to_lowercase();
    let library = match os {
        TargetOs::Windows => lower.ends_with(".dll"),
        TargetOs::Linux => lower.ends_with(".so") || lower.contains(".so."),
        TargetOs::MacOs => {
            lower.ends_with(".dylib") || lower.ends_with(".so") || !lower.contains('.')
        }
    };
    if !library {
        return Err(refuse("not a shared library"));
    }
    Ok(PathBuf::from(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_modules_come_first_then_the_vendors_found() {
        let there = [
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/librtpkcs11ecp.so",
            "/opt/kz/libkaztoken.so",
        ];
        let configured = vec![
            PathBuf::from("/opt/kz/libkaztoken.so"),
            PathBuf::from("/gone/libx.so"),
        ];
        let list = ModuleList::build(&configured, TargetOs::Linux, |p| {
            there.iter().any(|t| Path::new(t) == p)
        });
        let got: Vec<(&str, Option<&str>, bool)> = list
            .all()
            .iter()
            .map(|m| (m.path.to_str().unwrap_or(""), m.vendor, m.present))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/opt/kz/libkaztoken.so", Some("Kaztoken"), true),
                ("/gone/libx.so", None, false),
                ("/usr/lib/librtpkcs11ecp.so", Some("Rutoken"), true),
                ("/usr/lib/softhsm/libsofthsm2.so", Some("SoftHSM2"), true),
            ]
        );
        assert_eq!(
            list.default_module().map(|m| m.path.clone()),
            Some(PathBuf::from("/opt/kz/libkaztoken.so"))
        );
        assert_eq!(list.present().count(), 3);
    }

    #[test]
    fn a_module_reached_by_two_paths_is_listed_once() {
        let real = |p: &Path| {
            if p == Path::new("/usr/lib/softhsm/libsofthsm2.so") {
                PathBuf::from("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
            } else {
                p.to_path_buf()
            }
        };
        let configured = vec![PathBuf::from("/usr/lib/softhsm/libsofthsm2.so")];
        let list = ModuleList::build_resolving(
            &configured,
            TargetOs::Linux,
            |p| p.to_str().is_some_and(|s| s.contains("softhsm")),
            real,
        );
        let paths: Vec<&Path> = list.all().iter().map(|m| m.path.as_path()).collect();
        assert_eq!(paths, vec![Path::new("/usr/lib/softhsm/libsofthsm2.so")]);
    }

    #[test]
    fn a_module_is_chosen_by_the_id_the_desk_gave_never_by_a_path() {
        let list = ModuleList::build(&[], TargetOs::Windows, |p| {
            p == Path::new(r"C:\Windows\System32\eTPKCS11.dll")
        });
        let m = &list.all()[0];
        assert_eq!(m.vendor, Some("SafeNet eToken"));
        assert_eq!(m.id.len(), 12);
        assert_eq!(
            list.get(&m.id).map(|m| m.path.clone()).ok(),
            Some(m.path.clone())
        );
        for sent in [
            r"\\host\share\x.dll",
            r"C:\Windows\System32\eTPKCS11.dll",
            "",
            "0000",
        ] {
            assert_eq!(
                list.get(sent).map(|_| ()).unwrap_err().code(),
                "PKCS11_MODULE_UNKNOWN",
                "{sent:?}"
            );
        }
    }

    #[test]
    fn module_paths_must_be_local_absolute_libraries() {
        use TargetOs::*;
        let cases: &[(&str, TargetOs, bool)] = &[
            (r"C:\Windows\System32\kaztoken.dll", Windows, true),
            (r"D:/tokens/akey_pkcs11.dll", Windows, true),
            (r"\\host\share\x.dll", Windows, false),
            (r"\\?\UNC\host\share\x.dll", Windows, false),
            ("//host/share/x.dll", Windows, false),
            (r"kaztoken.dll", Windows, false),
            (r"C:kaztoken.dll", Windows, false),
            (r"C:\Windows\System32\calc.exe", Windows, false),
            ("/usr/lib/libkaztoken.so", Linux, true),
            ("/usr/lib/x86_64-linux-gnu/libfoo.so.1", Linux, true),
            ("lib/libkaztoken.so", Linux, false),
            ("//server/libkaztoken.so", Linux, false),
            ("file:///usr/lib/libkaztoken.so", Linux, false),
            ("/usr/bin/bash", Linux, false),
            ("/usr/lib/lib\nx.so", Linux, false),
            ("", Linux, false),
        ];
        for (path, os, ok) in cases {
            let got = check_module_path(path, *os);
            assert_eq!(got.is_ok(), *ok, "{path:?} on {os:?}: {got:?}");
            if let Err(e) = got {
                assert_eq!(e.code(), "PKCS11_MODULE_REFUSED");
            }
        }
    }
}
