//! What a clerk types: IIN, phone, e-mail, names, numbers and codes. Each is
//! parsed or refused, never a panic, and what is accepted prints back to itself.

use domain::{ApplicationNumber, Email, Iin, PersonName, Phone, RejectReasonCode, Status};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        if let Ok(iin) = Iin::parse(&text) {
            let _ = (iin.birth_date(), iin.sex());
            assert_eq!(Iin::parse(&iin.to_string()), Ok(iin));
        }
        if let Ok(phone) = Phone::parse(&text) {
            assert_eq!(Phone::parse(&phone.e164()), Ok(phone.clone()));
            assert_eq!(Phone::parse(&phone.display()), Ok(phone));
        }
        if let Ok(email) = Email::parse(&text) {
            assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }
        if let Ok(name) = PersonName::parse(&text) {
            assert_eq!(PersonName::parse(name.as_str()), Ok(name.clone()));
        }
        let _ = ApplicationNumber::parse(&text).map(|n| n.to_string());
        let _ = (Status::parse(&text), RejectReasonCode::parse(&text));
    });
}
