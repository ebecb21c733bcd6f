//! Random identifiers, session tokens and one-time codes from the operating system's generator,
//! and the sha256 digests under which secrets are stored.

use sha2::{Digest, Sha256};

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS generator failing means the machine cannot produce secrets at all; refusing to run
    // is the only safe answer.
    getrandom::getrandom(&mut bytes).expect("operating system random number generator");
    bytes
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new row id: 16 random bytes as 32 hex characters.
pub fn new_id() -> String {
    hex(&random_bytes::<16>())
}

/// A session token: 32 random bytes as 64 hex characters. Only its digest is stored.
pub fn session_token() -> String {
    hex(&random_bytes::<32>())
}

/// Six uniformly random decimal digits.
pub fn otp_code() -> String {
    // Rejection sampling: taking a u32 modulo 10⁶ directly would favour small codes slightly.
    const LIMIT: u32 = u32::MAX - u32::MAX % 1_000_000;
    loop {
        let n = u32::from_le_bytes(random_bytes::<4>());
        if n < LIMIT {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// Lower-case hex sha256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Compares two secrets' digests without stopping at the first difference.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(new_id().len(), 32);
        assert_ne!(new_id(), new_id());
        assert_eq!(session_token().len(), 64);
        let code = otp_code();
        assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same("ab", "ab") && !same("ab", "ac") && !same("ab", "abc"));
    }
}
