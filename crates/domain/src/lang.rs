//! The two interface languages are the catalogues' own ([`i18n::Lang`]).
pub use i18n::Lang;
