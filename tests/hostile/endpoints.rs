//! The endpoints, from the app: server functions and plain routes.
use super::*;

// ---------------------------------------------------------------------------------------
// The endpoints, from the app.

#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    /// `/api/room_message`, `/requests`, `/room/{reference}/photos`.
    pub(crate) path: String,
    /// Argument names; `true` when the argument may be left out (`#[server(default)]`).
    pub(crate) args: Vec<(String, bool)>,
    pub(crate) multipart: bool,
}

pub(crate) fn manifest(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub(crate) fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The text between the `(` at `open` and its matching `)`.
pub(crate) fn balanced(s: &str, open: usize) -> &str {
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &s[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses")
}

pub(crate) fn split_top_level(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, vec![]);
    for (i, c) in s.char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Every `#[server(endpoint = "…")] fn f(args)` under src/api, with its argument names.
pub(crate) fn server_fns_in_source() -> BTreeMap<String, Vec<(String, bool)>> {
    let mut files = vec![];
    rust_files(&manifest("src/api"), &mut files);
    let mut found = BTreeMap::new();
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        let mut at = 0;
        while let Some(i) = src[at..].find("#[server(endpoint") {
            let start = at + i;
            let attr = balanced(&src, start + "#[server".len());
            let endpoint = attr
                .split('"')
                .nth(1)
                .expect("endpoint literal")
                .to_string();
            let fn_at = start + src[start..].find("fn ").expect("fn after #[server]");
            let open = fn_at + src[fn_at..].find('(').unwrap();
            let args = split_top_level(balanced(&src, open))
                .into_iter()
                .map(|a| {
                    let optional = a.contains("#[server(default)]");
                    let a = a.replace("#[server(default)]", "");
                    let name = a.split(':').next().unwrap().trim().to_string();
                    (name, optional)
                })
                .collect();
            found.insert(format!("/api/{endpoint}"), args);
            at = open;
        }
    }
    found
}

/// The registered server functions, with the arguments their signatures declare. The
/// registry is the truth; the source only names the arguments, so the two must agree.
pub(crate) fn server_fns() -> Vec<Endpoint> {
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    let declared = server_fns_in_source();
    let declared_paths: BTreeSet<String> = declared.keys().cloned().collect();
    assert_eq!(
        registered, declared_paths,
        "the server-function registry and the #[server] signatures under src/api differ"
    );
    assert!(registered.len() > 20, "{registered:?}");
    declared
        .into_iter()
        .map(|(path, args)| Endpoint {
            path,
            args,
            multipart: false,
        })
        .collect()
}

/// Every `.route("path", method(…))` in the router, as (path, method names).
pub(crate) fn router_routes() -> Vec<(String, Vec<String>)> {
    let src = std::fs::read_to_string(manifest("src/server/app.rs")).unwrap();
    let mut out = vec![];
    let mut at = 0;
    while let Some(i) = src[at..].find(".route(") {
        let open = at + i + ".route".len();
        let inner = balanced(&src, open);
        let path = inner
            .split('"')
            .nth(1)
            .expect("route path literal")
            .to_string();
        let rest = &inner[inner.find(',').unwrap() + 1..];
        let methods = ["get", "post", "put", "patch", "delete"]
            .iter()
            .filter(|m| {
                rest.match_indices(&format!("{m}(")).any(|(j, _)| {
                    j == 0 || !rest[..j].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            })
            .map(|m| m.to_string())
            .collect();
        out.push((path, methods));
        at = open + inner.len();
    }
    assert!(out.iter().any(|(p, _)| p == "/requests"), "{out:?}");
    out
}

/// Every form field name the app's own pages and handlers use (`name="…"`, `.text("…")`):
/// the plain routes read their bodies by these names.
pub(crate) fn form_field_names() -> Vec<String> {
    let mut files = vec![];
    rust_files(&manifest("src"), &mut files);
    let mut names = BTreeSet::new();
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        for marker in ["name=\"", ".text(\"", "name == \"", "name != \""] {
            for (i, _) in src.match_indices(marker) {
                let rest = &src[i + marker.len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && rest[name.len()..].starts_with('"') {
                    names.insert(name);
                }
            }
        }
    }
    names.into_iter().collect()
}

pub(crate) fn plain_routes() -> Vec<Endpoint> {
    let fields = form_field_names();
    router_routes()
        .into_iter()
        .filter(|(_, methods)| methods.iter().any(|m| m != "get"))
        .map(|(path, _)| {
            let multipart = !path.starts_with("/r/");
            Endpoint {
                path,
                args: fields.iter().map(|f| (f.clone(), true)).collect(),
                multipart,
            }
        })
        .collect()
}
