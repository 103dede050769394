//! The web report page: signing in with a token, the session list, a session's report with its
//! gate and charts, decisions through the form (approvers only, with its CSRF token), exports.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use screening_sync::{Client, Role, Verdict};

use crate::{Server, judgements, session};

/// A page fetched: status, the headers that matter here, body.
struct Page {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Page {
    fn header(&self, name: impl reqwest::header::AsHeaderName) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The value of the hidden input `name` of the page's form.
    fn hidden(&self, name: &str) -> String {
        let at = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&at).unwrap_or_else(|| panic!("no input {name}")) + at.len();
        self.body[start..].split('"').next().unwrap().to_owned()
    }
}

/// A client that follows no redirects and keeps no cookies: each request says what it sends.
fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn page(r: reqwest::RequestBuilder) -> Page {
    let r = r.send().await.unwrap();
    let (status, headers) = (r.status(), r.headers().clone());
    Page { status, headers, body: r.text().await.unwrap() }
}

async fn get(server: &Server, path: &str, cookie: Option<&str>) -> Page {
    let mut rb = http().get(format!("{}{path}", server.url()));
    if let Some(c) = cookie {
        rb = rb.header(COOKIE, c);
    }
    page(rb).await
}

/// `application/x-www-form-urlencoded`, by hand.
fn form_body(fields: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

async fn post(server: &Server, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Page {
    let mut rb = http()
        .post(format!("{}{path}", server.url()))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(fields));
    if let Some(c) = cookie {
        rb = rb.header(COOKIE, c);
    }
    page(rb).await
}

/// Signs in through the form; the cookie to send back.
async fn sign_in(server: &Server, token: &str) -> String {
    let r = post(server, "/login", None, &[("token", token), ("next", "/")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.header(SET_COOKIE).split(';').next().unwrap().to_owned()
}

/// A server with session s1 (published by ann, judged by ann and bob), an approver pat and a
/// reviewer rev: the server, pat's client and cookie, rev's cookie.
async fn judged() -> (Server, Client, String, String) {
    let server = Server::start().await;
    let (ann, _) = server.user("ann", Role::Reviewer).await;
    let (bob, _) = server.user("bob", Role::Reviewer).await;
    let (pat, pat_token) = server.user("pat", Role::Approver).await;
    let (_, rev_token) = server.user("rev", Role::Reviewer).await;
    ann.publish(&session("s1")).await.unwrap();
    ann.push("a1", &judgements("s1", "ann", 5, 2)).await.unwrap();
    bob.push("b1", &judgements("s1", "bob", 4, 3)).await.unwrap();
    let pat_cookie = sign_in(&server, &pat_token).await;
    let rev_cookie = sign_in(&server, &rev_token).await;
    (server, pat, pat_cookie, rev_cookie)
}

#[tokio::test]
async fn signing_in_takes_a_good_token_into_a_strict_cookie_and_refuses_a_bad_one() {
    let server = Server::start().await;
    let (_, token) = server.user("ann", Role::Reviewer).await;

    let login = get(&server, "/", None).await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("type=\"password\""), "{}", login.body);
    assert!(login.body.contains("action=\"/login\""));
    assert!(login.header("content-security-policy").contains("default-src 'none'"));

    for bad in ["", "not-a-token", "<script>", &format!("{token}0")] {
        let r = post(&server, "/login", None, &[("token", bad)]).await;
        assert_eq!(r.status, 401, "token {bad:?}");
        assert!(r.header(SET_COOKIE).is_empty(), "no cookie for {bad:?}");
        assert!(r.body.contains("class=\"error\""), "{}", r.body);
        assert!(!r.body.contains("<script>"));
    }

    let r =
        post(&server, "/login", None, &[("token", &format!(" {token}\n")), ("next", "/")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header(LOCATION), "/");
    let set = r.header(SET_COOKIE);
    assert!(set.starts_with(&format!("screening_token={token};")), "{set}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attr), "{set} lacks {attr}");
    }
    let cookie = set.split(';').next().unwrap().to_owned();
    let home = get(&server, "/", Some(&cookie)).await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Published sessions"));
    assert!(home.body.contains("ann · reviewer"));
    assert!(home.body.contains("No published sessions yet"));
    assert_eq!(home.header("cache-control"), "no-store");

    // Back to where the sign-in started, but never to another site.
    let r = post(&server, "/login", None, &[("token", &token), ("next", "/sessions/s1")]).await;
    assert_eq!(r.header(LOCATION), "/sessions/s1");
    for away in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let r = post(&server, "/login", None, &[("token", &token), ("next", away)]).await;
        assert_eq!(r.header(LOCATION), "/", "next {away:?}");
    }
    // Another page asks to sign in, and comes back to it.
    let r = get(&server, "/sessions/s1", None).await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains("name=\"next\" value=\"/sessions/s1\""), "{}", r.body);

    let out = post(&server, "/logout", Some(&cookie), &[]).await;
    assert_eq!((out.status.as_u16(), out.header(LOCATION)), (303, "/"));
    assert!(out.header(SET_COOKIE).contains("Max-Age=0"));

    // A revoked token's cookie signs the visitor out.
    server.db.revoke("ann").await.unwrap();
    let r = get(&server, "/", Some(&cookie)).await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains("the token was revoked"), "{}", r.body);
    assert!(r.header(SET_COOKIE).contains("Max-Age=0"));
    assert!(
        get(&server, "/", Some("screening_token=nope")).await.body.contains("type=\"password\"")
    );
}

#[tokio::test]
async fn the_list_shows_every_published_session_with_its_numbers_and_escapes_names() {
    let server = Server::start().await;
    let (ann, token) = server.user("ann", Role::Reviewer).await;
    ann.publish(&session("s1")).await.unwrap();
    ann.push("a1", &judgements("s1", "ann", 5, 2)).await.unwrap();
    let mut evil = session("s 2/<x>");
    evil.name = "<script>alert(1)</script> & co".into();
    ann.publish(&evil).await.unwrap();
    let cookie = sign_in(&server, &token).await;

    let home = get(&server, "/", Some(&cookie)).await;
    assert_eq!(home.status, 200);
    let b = &home.body;
    assert!(b.contains("<a href=\"/sessions/s1\">Session s1</a>"), "{b}");
    assert!(b.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(!b.contains("<script>"));
    assert!(b.contains("href=\"/sessions/s%202%2F%3Cx%3E\""), "the id is one path segment: {b}");
    let row = b.split("<tr>").find(|r| r.contains("Session s1")).unwrap();
    for cell in
        ["<td>ann</td>", "<td class=\"num\">2</td>", "Popularity, EASE", ">6</td>", "none yet"]
    {
        assert!(row.contains(cell), "{cell} in {row}");
    }
    assert!(b.find("&lt;script&gt;").unwrap() < b.find("Session s1").unwrap(), "newest first");
    // The escaped id opens its session.
    let r = get(&server, "/sessions/s%202%2F%3Cx%3E", Some(&cookie)).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn a_session_page_shows_the_report_with_gate_charts_digest_and_exports() {
    let (server, pat, pat_cookie, rev_cookie) = judged().await;
    let team = pat.report("s1").await.unwrap();
    for cookie in [&pat_cookie, &rev_cookie] {
        let r = get(&server, "/sessions/s1", Some(cookie)).await;
        assert_eq!(r.status, 200);
        let b = &r.body;
        assert!(b.contains("<section id=\"gate\">"), "{b}");
        assert!(b.contains("Release gate"));
        assert!(b.contains("class=\"banner "));
        assert!(b.contains("<svg class=\"chart means\""));
        assert!(b.contains("<svg class=\"chart strengths\""));
        assert!(b.contains(&format!("<code class=\"digest\">{}</code>", team.digest)));
        assert!(b.contains("2 reviewers · 2 personas · 12 judgements"));
        for f in ["html", "md", "csv", "json"] {
            assert!(b.contains(&format!("href=\"/sessions/s1/export/{f}\" download")), "{f}");
        }
        assert!(b.contains("No decision yet."));
        assert!(!b.contains("<script"), "no scripts");
        assert!(!b.contains("http://") && !b.contains("https://"), "no external resources");
    }
    let rev = get(&server, "/sessions/s1", Some(&rev_cookie)).await.body;
    assert!(!rev.contains("action=\"/sessions/s1/decision\""), "a reviewer gets no form");
    assert!(rev.contains("Only approvers record decisions"));
    let pat_page = get(&server, "/sessions/s1", Some(&pat_cookie)).await;
    assert!(pat_page.body.contains("action=\"/sessions/s1/decision\""));
    assert_eq!(pat_page.hidden("digest"), team.digest);

    let missing = get(&server, "/sessions/nope", Some(&pat_cookie)).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("No published session &quot;nope&quot;"), "{}", missing.body);
}

#[tokio::test]
async fn an_approver_decides_through_the_form_and_the_api_sees_it() {
    let (server, pat, cookie, _) = judged().await;
    let form = get(&server, "/sessions/s1", Some(&cookie)).await;
    let (csrf, digest) = (form.hidden("csrf"), form.hidden("digest"));
    let note = "Ship it <b>now</b> & tell \"ops\"";
    let fields =
        [("csrf", csrf.as_str()), ("digest", &digest), ("decision", "approve"), ("note", note)];
    let r = post(&server, "/sessions/s1/decision", Some(&cookie), &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header(LOCATION), "/sessions/s1#decisions");

    let decisions = &pat.sessions().await.unwrap()[0].decisions;
    assert_eq!(decisions.len(), 1);
    let d = &decisions[0];
    assert_eq!((d.decision, d.author.as_str(), d.note.as_str()), (Verdict::Approve, "pat", note));
    assert_eq!(d.report_digest, pat.report("s1").await.unwrap().digest);

    let page = get(&server, "/sessions/s1", Some(&cookie)).await.body;
    let section = &page[page.find("<section id=\"decisions\">").unwrap()..];
    assert!(section.contains("<span class=\"verdict approve\">approved</span>"), "{section}");
    assert!(section.contains("Ship it &lt;b&gt;now&lt;/b&gt; &amp; tell &quot;ops&quot;"));
    assert!(section.contains("<td>pat</td>"));
    assert!(section.contains(&format!("title=\"{}\"", d.report_digest)));
    assert!(section.contains("this report"));
    assert!(
        page.contains("Latest decision: <span class=\"verdict approve\">approved</span> by pat")
    );
    let home = get(&server, "/", Some(&cookie)).await.body;
    assert!(home.contains("approved</span> by pat"));

    // A reject from the same form, and the list keeps both (newest first on the page).
    let fields =
        [("csrf", csrf.as_str()), ("digest", &digest), ("decision", "reject"), ("note", "")];
    assert_eq!(post(&server, "/sessions/s1/decision", Some(&cookie), &fields).await.status, 303);
    let decisions = &pat.sessions().await.unwrap()[0].decisions;
    assert_eq!(
        decisions.iter().map(|d| d.decision).collect::<Vec<_>>(),
        [Verdict::Approve, Verdict::Reject]
    );
}

#[tokio::test]
async fn the_decision_form_is_refused_to_reviewers_and_without_its_token() {
    let (server, pat, pat_cookie, rev_cookie) = judged().await;
    let form = get(&server, "/sessions/s1", Some(&pat_cookie)).await;
    let (csrf, digest) = (form.hidden("csrf"), form.hidden("digest"));
    let decide = |csrf: &str, digest: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("digest".to_owned(), digest.to_owned()),
            ("decision".to_owned(), "approve".to_owned()),
            ("note".to_owned(), "x".to_owned()),
        ]
    };
    let send = async |cookie: Option<&str>, fields: Vec<(String, String)>| {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        post(&server, "/sessions/s1/decision", cookie, &f).await
    };

    // A reviewer, even with a well-formed form: 403.
    let r = send(Some(&rev_cookie), decide(&csrf, &digest)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("needs the role approver"), "{}", r.body);
    // No cookie: sign in first.
    assert_eq!(send(None, decide(&csrf, &digest)).await.status, 401);
    // Missing, wrong, or another session's token: 403.
    let mut no_token = decide(&csrf, &digest);
    no_token.remove(0);
    let r = send(Some(&pat_cookie), no_token).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("security token"), "{}", r.body);
    let wrong = format!("{}{}", &csrf[..63], if csrf.ends_with('0') { '1' } else { '0' });
    assert_eq!(send(Some(&pat_cookie), decide(&wrong, &digest)).await.status, 403);
    assert_eq!(send(Some(&pat_cookie), decide("", &digest)).await.status, 403);
    pat.publish(&session("s2")).await.unwrap();
    let other = get(&server, "/sessions/s2", Some(&pat_cookie)).await.hidden("csrf");
    assert_ne!(other, csrf);
    assert_eq!(send(Some(&pat_cookie), decide(&other, &digest)).await.status, 403);
    // Another approver's token for the same session does not fit pat's cookie.
    let (_, quinn) = server.user("quinn", Role::Approver).await;
    let quinn_cookie = sign_in(&server, &quinn).await;
    let theirs = get(&server, "/sessions/s1", Some(&quinn_cookie)).await.hidden("csrf");
    assert_ne!(theirs, csrf);
    assert_eq!(send(Some(&pat_cookie), decide(&theirs, &digest)).await.status, 403);
    // Neither approve nor reject: 400.
    let mut odd = decide(&csrf, &digest);
    odd[2].1 = "maybe".into();
    assert_eq!(send(Some(&pat_cookie), odd).await.status, 400);
    // The report changed since the page was drawn: 409, look again.
    let (carl, _) = server.user("carl", Role::Reviewer).await;
    carl.push("c1", &judgements("s1", "carl", 1, 5)).await.unwrap();
    let r = send(Some(&pat_cookie), decide(&csrf, &digest)).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("has changed since the page was loaded"), "{}", r.body);

    assert!(pat.sessions().await.unwrap().iter().all(|s| s.decisions.is_empty()), "none recorded");
}

#[tokio::test]
async fn exports_download_as_attachments() {
    let (server, pat, cookie, _) = judged().await;
    let team = pat.report("s1").await.unwrap();
    for (format, content_type, first) in [
        ("html", "text/html; charset=utf-8", "<!DOCTYPE html>"),
        ("md", "text/markdown; charset=utf-8", "# Session s1"),
        ("csv", "text/csv; charset=utf-8", ""),
        ("json", "application/json", "{"),
    ] {
        let r = get(&server, &format!("/sessions/s1/export/{format}"), Some(&cookie)).await;
        assert_eq!(r.status, 200, "{format}: {}", r.body);
        assert_eq!(r.header(CONTENT_TYPE), content_type);
        assert_eq!(
            r.header(CONTENT_DISPOSITION),
            format!("attachment; filename=\"s1-report.{format}\"")
        );
        assert!(r.body.starts_with(first), "{format}: {}", &r.body[..80.min(r.body.len())]);
        match format {
            "html" => {
                assert!(r.body.contains("<svg class=\"chart means\""));
                assert!(r.body.contains(&team.digest), "the footer names the digest");
            }
            "csv" => assert!(r.body.lines().count() > 2, "{}", r.body),
            "json" => {
                let got: serde_json::Value = serde_json::from_str(&r.body).unwrap();
                assert_eq!(got, serde_json::to_value(&team.report).unwrap());
            }
            _ => assert!(r.body.contains("PASSED") || r.body.contains("FAILED")),
        }
    }
    assert_eq!(get(&server, "/sessions/s1/export/pdf", Some(&cookie)).await.status, 404);
    assert_eq!(get(&server, "/sessions/nope/export/csv", Some(&cookie)).await.status, 404);
    assert_eq!(get(&server, "/sessions/s1/export/csv", None).await.status, 401);
}
