//! The few HTML pages answered outside Leptos: error pages for plain routes, "staff only", the
//! link-switch question and the no-JS upload results. One layout, rendered by `maud`, which
//! escapes every value it interpolates — no page is assembled with `format!`.
use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use maud::{html, Markup, DOCTYPE};

/// A narrow page with the app's stylesheet: a heading, whatever `body` holds.
pub fn page(status: StatusCode, title: &str, body: Markup) -> Response {
    let doc = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/pkg/customer-room.css";
            }
            body {
                main {
                    section class="page narrow" {
                        h1 { (title) }
                        (body)
                    }
                }
            }
        }
    };
    (status, Html(doc.into_string())).into_response()
}

/// A page with one sentence and one way on.
pub fn message(status: StatusCode, title: &str, text: &str, back: (&str, &str)) -> Response {
    let (href, label) = back;
    page(
        status,
        title,
        html! {
            p { (text) }
            p { a class="button" href=(href) { (label) } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn body_of(r: Response) -> String {
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn every_value_is_escaped() {
        let r = message(
            StatusCode::NOT_FOUND,
            "<b>Not found</b>",
            "\"quoted\" & <script>alert(1)</script>",
            ("/x?a=1&b='2'", "Go <on>"),
        );
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let html = body_of(r).await;
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&quot;quoted&quot; &amp;"), "{html}");
        assert!(html.contains("Go &lt;on&gt;"), "{html}");
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    }
}
