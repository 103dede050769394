//! One well-mixed 64-bit hash, shared by everything that needs reproducible randomness (the demo
//! simulation, the random model, the evaluation split, the blind column order), so the same
//! seed means the same thing everywhere and on every machine.

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output for state `x` (Steele, Lea & Flood 2014): `x + φ·2⁶⁴`, then mixed.
/// Chaining `x = x + φ·2⁶⁴` between calls gives the SplitMix64 generator.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The increment between SplitMix64 states.
pub const SPLITMIX_STEP: u64 = GOLDEN;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_sequence() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(SPLITMIX_STEP), 0x6E78_9E6A_A1B9_65F4);
    }
}
