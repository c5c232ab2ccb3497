use super::*;

fn os(dir: &Path) -> OsDirs {
    OsDirs::new(&dir.join("config"), &dir.join("data"))
}

fn env(pairs: &[(&str, &str)]) -> Layer {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    env_layer(|name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
}

fn layer(portal: Option<&str>, lang: Option<&str>, lock: Option<&str>) -> Layer {
    Layer {
        portal_url: portal.map(str::to_string),
        receipt_language: lang.map(str::to_string),
        lock_timeout_minutes: lock.map(str::to_string),
        ..Layer::default()
    }
}

#[test]
fn each_layer_overrides_the_one_below() {
    let dir = tempfile::tempdir().unwrap();
    let os = os(dir.path());
    let file_only = ConfigFile {
        file: layer(Some("https://file.example.kz"), Some("kk"), Some("15")),
        screen: Layer::default(),
    };
    let with_screen = ConfigFile {
        screen: layer(Some("https://screen.example.kz"), None, Some("3")),
        ..file_only.clone()
    };
    let env_portal = env(&[("QABYLDAU_PORTAL", "https://env.example.kz/")]);
    let no_env = Layer::default();
    // (file, environment) → (portal, its source, language, lock)
    let cases: Vec<(&ConfigFile, &Layer, &str, Source, &str, u32)> = vec![
        (
            &file_only,
            &no_env,
            "https://file.example.kz",
            Source::File,
            "kk",
            15,
        ),
        (
            &file_only,
            &env_portal,
            "https://env.example.kz",
            Source::Environment,
            "kk",
            15,
        ),
        (
            &with_screen,
            &env_portal,
            "https://screen.example.kz",
            Source::Screen,
            "kk",
            3,
        ),
    ];
    for (file, env, portal, source, lang, lock) in cases {
        let (s, problems) = resolve(&os, file, env, TargetOs::Linux);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.portal_url.as_ref().map(PortalUrl::as_str), Some(portal));
        assert_eq!(s.portal_url_source, source);
        assert_eq!(s.receipt_language.as_str(), lang);
        assert_eq!(s.lock_timeout_minutes, lock);
    }
    let (defaults, _) = resolve(
        &os,
        &ConfigFile::default(),
        &Layer::default(),
        TargetOs::Linux,
    );
    assert!(defaults.first_run());
    assert_eq!(defaults.receipt_language, ReceiptLanguage::Application);
    assert_eq!(defaults.lock_timeout_minutes, DEFAULT_LOCK_TIMEOUT_MINUTES);
    assert_eq!(defaults.data_dir, dir.path().join("data").join("qabyldau"));
    assert_eq!(
        defaults.journal_file,
        defaults.data_dir.join("journal.sqlite")
    );
    assert_eq!(defaults.backups_dir(), defaults.data_dir.join("backups"));
    assert_eq!(
        defaults.config_file,
        dir.path()
            .join("config")
            .join("qabyldau")
            .join("config.toml")
    );
}

#[test]
fn a_bad_value_falls_back_to_the_layer_below_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = ConfigFile {
        file: layer(Some("https://portal.example.kz"), Some("ru"), Some("20")),
        screen: layer(Some("http://portal.example.kz"), Some("en"), Some("0")),
    };
    let (s, problems) = resolve(&os(dir.path()), &file, &Layer::default(), TargetOs::Linux);
    assert_eq!(
        s.portal_url.map(|u| u.0),
        Some("https://portal.example.kz".into())
    );
    assert_eq!(s.receipt_language, ReceiptLanguage::Always(Lang::Ru));
    assert_eq!(s.lock_timeout_minutes, 20);
    let codes: Vec<(&str, Source)> = problems.iter().map(|p| (p.code, p.source)).collect();
    assert_eq!(codes, vec![("SETTING_INVALID", Source::Screen); 3]);
}

#[test]
fn the_environment_gives_the_lock_time_in_seconds_below_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let os = os(dir.path());
    let file = ConfigFile {
        file: layer(None, None, Some("15")),
        screen: Layer::default(),
    };
    let short = env(&[("QABYLDAU_LOCK_SECONDS", "6")]);
    let (s, problems) = resolve(&os, &file, &short, TargetOs::Linux);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(s.lock_after, std::time::Duration::from_secs(6));
    assert_eq!(s.lock_timeout_source, Source::Environment);
    assert_eq!(s.lock_timeout_minutes, 1, "shown rounded up");
    // The settings screen is above the environment.
    let screen = ConfigFile {
        screen: layer(None, None, Some("3")),
        ..file.clone()
    };
    let (s, _) = resolve(&os, &screen, &short, TargetOs::Linux);
    assert_eq!(s.lock_after, std::time::Duration::from_secs(180));
    // Too short a time is refused and reported; the file's 15 minutes hold.
    let (s, problems) = resolve(
        &os,
        &file,
        &env(&[("QABYLDAU_LOCK_SECONDS", "2")]),
        TargetOs::Linux,
    );
    assert_eq!(s.lock_after, std::time::Duration::from_secs(15 * 60));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].source, Source::Environment);
}

#[test]
fn the_portal_is_https_except_on_this_computer() {
    for (given, ok) in [
        ("https://portal.edu.kz", true),
        ("https://portal.edu.kz:8443/api/", true),
        ("http://127.0.0.1:41234", true),
        ("http://localhost:8080", true),
        ("http://[::1]:9000", true),
        ("http://portal.edu.kz", false),
        ("ftp://portal.edu.kz", false),
        ("https://user:pass@portal.edu.kz", false),
        ("portal.edu.kz", false),
        ("", false),
    ] {
        assert_eq!(PortalUrl::parse(given).is_ok(), ok, "{given}");
    }
    assert_eq!(
        PortalUrl::parse("https://portal.edu.kz/").unwrap().as_str(),
        "https://portal.edu.kz"
    );
}

#[test]
fn modules_of_every_layer_are_joined_and_bad_ones_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = ConfigFile {
        file: Layer {
            pkcs11_modules: vec!["/opt/kaztoken/libkaztoken.so".into(), "libbad.so".into()],
            ..Layer::default()
        },
        screen: Layer {
            pkcs11_modules: vec!["/opt/akey/libakey_pkcs11.so".into()],
            ..Layer::default()
        },
    };
    let sep = if cfg!(windows) { ";" } else { ":" };
    let env = env(&[(
        "QABYLDAU_PKCS11_MODULE",
        &format!("/usr/lib/softhsm/libsofthsm2.so{sep}/opt/kaztoken/libkaztoken.so"),
    )]);
    let (s, problems) = resolve(&os(dir.path()), &file, &env, TargetOs::Linux);
    assert_eq!(
        s.pkcs11_modules,
        [
            "/opt/kaztoken/libkaztoken.so",
            "/usr/lib/softhsm/libsofthsm2.so",
            "/opt/akey/libakey_pkcs11.so"
        ]
        .map(PathBuf::from)
        .to_vec()
    );
    assert_eq!(
        s.screen_modules,
        vec![PathBuf::from("/opt/akey/libakey_pkcs11.so")]
    );
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "PKCS11_MODULE_REFUSED");
}

#[test]
fn the_journal_file_and_data_folder_come_from_the_file_or_environment_never_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let os = os(dir.path());
    let file = ConfigFile {
        file: Layer {
            data_dir: Some("/srv/qabyldau".into()),
            ..Layer::default()
        },
        screen: Layer {
            data_dir: Some("/tmp/elsewhere".into()),
            ..Layer::default()
        },
    };
    let (s, _) = resolve(&os, &file, &Layer::default(), TargetOs::Linux);
    assert_eq!(s.data_dir, PathBuf::from("/srv/qabyldau"));
    assert_eq!(s.data_dir_source, Source::File);
    let env = env(&[("QABYLDAU_DB", "/tmp/test/journal.sqlite")]);
    let (s, _) = resolve(&os, &file, &env, TargetOs::Linux);
    assert_eq!(s.journal_file, PathBuf::from("/tmp/test/journal.sqlite"));
}

#[test]
fn a_file_round_trips_and_keeps_the_it_persons_comments() {
    let dir = tempfile::tempdir().unwrap();
    let os = os(dir.path());
    std::fs::create_dir_all(&os.config_dir).unwrap();
    let text = "# Школа №7, кабинет 12\nversion = 2\nportal_url = \"https://portal.edu.kz\" # region\nlock_timeout_minutes = 15\n";
    std::fs::write(os.config_file(), text).unwrap();
    let loaded = load(&os, &Layer::default());
    assert!(loaded.file_error.is_none() && loaded.upgraded.is_none());
    assert_eq!(loaded.settings.lock_timeout_minutes, 15);

    let mut next = loaded.file.clone();
    next.screen.receipt_language = Some("kk".into());
    file::write(&os.config_file(), &next).unwrap();
    let written = std::fs::read_to_string(os.config_file()).unwrap();
    assert!(written.starts_with("# Школа №7, кабинет 12"), "{written}");
    assert!(written.contains("# region"), "{written}");
    assert!(written.contains("[settings_screen]"), "{written}");
    let again = load(&os, &Layer::default());
    assert_eq!(again.file, next);
    assert_eq!(again.settings.receipt_language_source, Source::Screen);
}

#[test]
fn a_version_1_file_is_upgraded_and_the_old_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let os = os(dir.path());
    std::fs::create_dir_all(&os.config_dir).unwrap();
    let v1 = "portal = \"https://portal.edu.kz\"\npkcs11_module = \"/opt/kaztoken/libkaztoken.so\"\nreceipt_lang = \"ru\"\n";
    std::fs::write(os.config_file(), v1).unwrap();
    let loaded = load(&os, &Layer::default());
    let upgrade = loaded.upgraded.clone().expect("upgraded");
    assert_eq!((upgrade.from_version, upgrade.to_version), (1, 2));
    assert_eq!(std::fs::read_to_string(&upgrade.kept_as).unwrap(), v1);
    assert_eq!(
        loaded.settings.portal_url.as_ref().map(PortalUrl::as_str),
        Some("https://portal.edu.kz")
    );
    assert_eq!(
        loaded.settings.receipt_language,
        ReceiptLanguage::Always(Lang::Ru)
    );
    assert_eq!(
        loaded.settings.pkcs11_modules,
        vec![PathBuf::from("/opt/kaztoken/libkaztoken.so")]
    );
    let now = std::fs::read_to_string(os.config_file()).unwrap();
    assert!(now.contains("version = 2"), "{now}");
    // The next start reads version 2: nothing more to upgrade.
    assert!(load(&os, &Layer::default()).upgraded.is_none());
}

#[test]
fn a_broken_or_newer_file_is_reported_and_never_rewritten() {
    for (text, code) in [
        (
            "version = 2\nportal_url = [unclosed\n",
            "SETTINGS_FILE_INVALID",
        ),
        (
            "version = 2\nportal = \"typo of a key\"\n",
            "SETTINGS_FILE_INVALID",
        ),
        (
            "version = 9\nportal_url = \"https://x.kz\"\n",
            "SETTINGS_FILE_NEWER",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let os = os(dir.path());
        std::fs::create_dir_all(&os.config_dir).unwrap();
        std::fs::write(os.config_file(), text).unwrap();
        let loaded = load(&os, &Layer::default());
        assert_eq!(
            loaded.file_error.as_ref().map(|p| p.code),
            Some(code),
            "{text}"
        );
        assert!(loaded.settings.first_run());
        assert_eq!(
            save_first_run(&os, &loaded, "https://portal.edu.kz")
                .unwrap_err()
                .code(),
            "SETTINGS_FILE_INVALID"
        );
        assert_eq!(std::fs::read_to_string(os.config_file()).unwrap(), text);
    }
}

#[test]
fn the_first_run_writes_the_portal_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let os = os(dir.path());
    let loaded = load(&os, &Layer::default());
    assert!(loaded.settings.first_run());
    assert_eq!(
        save_first_run(&os, &loaded, "http://portal.edu.kz")
            .unwrap_err()
            .code(),
        "SETTING_INVALID"
    );
    assert!(!os.config_file().exists());
    save_first_run(&os, &loaded, "https://portal.edu.kz").unwrap();
    let after = load(&os, &Layer::default());
    assert!(!after.settings.first_run());
    assert_eq!(after.settings.portal_url_source, Source::File);
}

#[test]
fn an_edit_keeps_on_the_screen_only_what_differs_from_below() {
    let dir = tempfile::tempdir().unwrap();
    let os = os(dir.path());
    let loaded = Loaded {
        file: ConfigFile {
            file: layer(Some("https://portal.edu.kz"), Some("kk"), None),
            screen: Layer::default(),
        },
        ..load(&os, &Layer::default())
    };
    let (settings, _) = resolve(&os, &loaded.file, &Layer::default(), TargetOs::Linux);
    let loaded = Loaded { settings, ..loaded };
    let edit = SettingsEdit {
        portal_url: "https://portal.edu.kz".into(),
        receipt_language: "ru".into(),
        lock_timeout_minutes: "10".into(),
        add_module: Some(PathBuf::from("/opt/kaztoken/libkaztoken.so")),
        remove_modules: Vec::new(),
    };
    let (next, changes) =
        plan_edit(&os, &loaded, &Layer::default(), &edit, TargetOs::Linux).unwrap();
    assert_eq!(next.screen.portal_url, None, "same as the file: not kept");
    assert_eq!(
        next.screen.lock_timeout_minutes, None,
        "same as the default"
    );
    assert_eq!(next.screen.receipt_language.as_deref(), Some("ru"));
    let changed: Vec<(&str, Option<&str>, Option<&str>)> = changes
        .iter()
        .map(|c| {
            (
                c.setting.as_str(),
                c.old_value.as_deref(),
                c.new_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        vec![
            ("receipt_language", Some("kk"), Some("ru")),
            ("pkcs11_modules", None, Some("/opt/kaztoken/libkaztoken.so")),
        ]
    );

    for (bad, code) in [
        (
            SettingsEdit {
                lock_timeout_minutes: "0".into(),
                ..edit.clone()
            },
            "SETTING_INVALID",
        ),
        (
            SettingsEdit {
                portal_url: "http://portal.edu.kz".into(),
                ..edit.clone()
            },
            "SETTING_INVALID",
        ),
        (
            SettingsEdit {
                add_module: Some(PathBuf::from(r"\\host\share\x.dll")),
                ..edit.clone()
            },
            "PKCS11_MODULE_REFUSED",
        ),
    ] {
        let got = plan_edit(&os, &loaded, &Layer::default(), &bad, TargetOs::Linux);
        assert_eq!(got.unwrap_err().code(), code);
    }
}

#[test]
fn the_example_file_of_the_installer_is_a_current_file_without_problems() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../installer/config.example.toml"
    ));
    let text = std::fs::read_to_string(path).unwrap();
    let (file, version) = file::parse(path, &text).unwrap();
    assert_eq!(version, file::CURRENT_VERSION);
    let dir = tempfile::tempdir().unwrap();
    let (s, problems) = resolve(&os(dir.path()), &file, &Layer::default(), TargetOs::Windows);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(s.portal_url_source, Source::File);
    assert_eq!(s.lock_timeout_minutes, 10);
}
