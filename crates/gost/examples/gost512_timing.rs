//! Prints the median time of one GOST-512 signature and one verification:
//! `cargo run --release -p gost --example gost512_timing` (issue 10's target: ≤ 5 ms each).

use rand::SeedableRng;

fn main() {
    let mut rng = rand_chacha::ChaCha20Rng::from_os_rng();
    let timings = gost::timing::gost512(50, &mut rng);
    println!(
        "gost512.sign   {:.3} ms\ngost512.verify {:.3} ms",
        timings.sign.as_secs_f64() * 1e3,
        timings.verify.as_secs_f64() * 1e3
    );
}
