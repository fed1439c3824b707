//! What a customer's file name may become. It is shown back to people and kept for the
//! room's list, never used to build a storage path (see [`super::store::StorageKey`]).

/// The name kept with an attachment: the last path component without control characters,
/// at most 120 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if cleaned.trim().is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// Clean a customer-supplied file name for use in messages: keeps only the
/// last path component (browsers may send `C:\fakepath\x.jpg`), drops
/// control and bidirectional-override characters (which can make
/// `gpj.exe` look like `exe.jpg`), collapses whitespace, and shortens it to
/// 80 characters. Returns `"your file"` if nothing is left.
pub fn display_name(raw: &str) -> String {
    const MAX_CHARS: usize = 80;
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let mut out = String::with_capacity(last.len().min(MAX_CHARS * 4));
    let mut count = 0usize;
    let mut pending_space = false;
    let mut truncated = false;
    for c in last.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        let invisible = c.is_control()
            || matches!(c,
                '\u{200B}'..='\u{200F}' // zero-width, LRM/RLM
                | '\u{202A}'..='\u{202E}' // bidi embeddings/overrides
                | '\u{2066}'..='\u{2069}' // bidi isolates
                | '\u{061C}' | '\u{FEFF}');
        if invisible {
            continue;
        }
        if count >= MAX_CHARS {
            truncated = true;
            break;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    if truncated {
        out.push('…');
    }
    if out.is_empty() {
        "your file".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::clean_file_name;

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\photos\\tap.jpg"), "tap.jpg");
        assert_eq!(clean_file_name("a\u{0}b.png"), "ab.png");
        assert_eq!(clean_file_name(""), "file");
    }
}
