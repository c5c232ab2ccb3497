include!("../../installer/build_info.rs");

fn main() {
    build_info();
}
