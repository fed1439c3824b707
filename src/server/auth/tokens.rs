use sha2::{Digest, Sha256};

/// A fresh 256-bit token from the OS CSPRNG, hex-encoded for URLs and cookies,
/// and the SHA-256 hash that is the only thing we store.
pub fn new_token() -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    let token = hex::encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_256_random_bits_in_lowercase_hex() {
        let (a, _) = new_token();
        assert_eq!(a.len(), 64);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{a}"
        );
        assert_eq!(hex::decode(&a).unwrap().len(), 32);
        // A broken random source (all zeros, a repeated byte) would show as few distinct bytes;
        // 32 random bytes repeat a value only a little.
        let bytes = hex::decode(&a).unwrap();
        let distinct: std::collections::HashSet<_> = bytes.iter().collect();
        assert!(distinct.len() >= 16, "suspiciously regular token {a}");
    }

    #[test]
    fn tokens_differ_and_so_do_their_hashes() {
        let tokens: Vec<_> = (0..64).map(|_| new_token()).collect();
        let plain: std::collections::HashSet<_> = tokens.iter().map(|(t, _)| t).collect();
        let hashes: std::collections::HashSet<_> = tokens.iter().map(|(_, h)| h).collect();
        assert_eq!(plain.len(), tokens.len());
        assert_eq!(hashes.len(), tokens.len());
    }

    #[test]
    fn the_stored_hash_is_sha256_of_the_token_text_and_not_the_token() {
        let (token, stored) = new_token();
        assert_eq!(hash_token(&token), stored);
        assert_eq!(stored.len(), 32);
        assert_ne!(
            stored,
            hex::decode(&token).unwrap(),
            "the raw token is never stored"
        );
        // The FIPS 180-2 test vector: a change of algorithm or encoding breaks every link.
        assert_eq!(
            hex::encode(hash_token("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_token_changed_in_one_character_does_not_match() {
        let (token, stored) = new_token();
        for i in [0, 31, 63] {
            let mut chars: Vec<char> = token.chars().collect();
            chars[i] = if chars[i] == '0' { '1' } else { '0' };
            let tampered: String = chars.into_iter().collect();
            assert_ne!(hash_token(&tampered), stored, "changed at {i}");
        }
        assert_ne!(hash_token(&token.to_uppercase()), stored);
        assert_ne!(hash_token(&token[..63]), stored);
    }

    #[test]
    fn random_bytes_are_not_constant() {
        let a = random_bytes::<16>();
        let b = random_bytes::<16>();
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 16]);
    }
}
