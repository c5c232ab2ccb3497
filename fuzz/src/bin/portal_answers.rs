//! What the portal sends: every answer type of the contract decoded from the bytes, and
//! an application that decodes converted into the domain — an error, never a panic.

use portal_api::convert::application_from_wire;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(page) = serde_json::from_slice::<portal_api::ChangesPage>(data) {
            page.items.iter().for_each(|a| drop(application_from_wire(a)));
        }
        if let Ok(one) = serde_json::from_slice::<portal_api::Application>(data) {
            drop(application_from_wire(&one));
        }
        drop(serde_json::from_slice::<portal_api::Reference>(data));
        drop(serde_json::from_slice::<portal_api::Problem>(data));
        drop(serde_json::from_slice::<portal_api::SignInResponse>(data));
        drop(serde_json::from_slice::<portal_api::DecisionResponse>(data));
        drop(serde_json::from_slice::<portal_api::OnBehalfResponse>(data));
    });
}
