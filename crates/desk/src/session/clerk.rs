//! The signed-in clerk and the secret they signed in with.

use domain::Iin;
use secrecy::{ExposeSecret, SecretString};

/// A password as typed: zeroized when dropped, redacted in `Debug`, never cloned into a
/// plain `String` (issue 16, "secrets end to end").
pub struct Password(SecretString);

impl Password {
    /// Takes the typed text (the IPC's `String`) and owns it from here on.
    pub fn new(typed: String) -> Password {
        Password(SecretString::from(typed))
    }

    pub fn is_empty(&self) -> bool {
        self.0.expose_secret().is_empty()
    }

    /// For the one call that needs the text (the portal's sign-in, the key derivation).
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// A second owner of the same secret (the sync worker re-signs in with it).
    pub fn duplicate(&self) -> Password {
        Password(SecretString::from(self.0.expose_secret().to_owned()))
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// How the clerk proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    /// IIN + password checked by the portal.
    Password,
    /// The portal's challenge signed with the clerk's authentication key.
    Eds,
    /// IIN + password checked on this desk (an earlier online sign-in left it here).
    Offline,
}

impl SignInMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInMethod::Password => "password",
            SignInMethod::Eds => "eds",
            SignInMethod::Offline => "offline",
        }
    }
}

/// A clerk who signed in: only the sign-in functions of this module make one, so holding
/// it is the proof. Decisions, walk-in submissions and bindings are recorded as this
/// clerk ([`crate::Desk::current_clerk`]).
#[derive(Debug, PartialEq, Eq)]
pub struct SignedInClerk {
    iin: Iin,
    name: String,
    method: SignInMethod,
}

impl SignedInClerk {
    pub(crate) fn new(iin: Iin, name: String, method: SignInMethod) -> SignedInClerk {
        SignedInClerk { iin, name, method }
    }

    pub fn iin(&self) -> &Iin {
        &self.iin
    }

    /// "Surname Given Patronymic" as the portal (or this desk's memory of it) gave it.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn method(&self) -> SignInMethod {
        self.method
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows_in_debug() {
        let p = Password::new("s3cret-pass".to_string());
        assert_eq!(format!("{p:?}"), "Password(…)");
        assert_eq!(p.duplicate().expose(), "s3cret-pass");
        assert!(!p.is_empty());
        assert!(Password::new(String::new()).is_empty());
    }
}
