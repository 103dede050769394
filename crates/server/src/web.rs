//! The web report page: sign in with a token, the published sessions, a session's team report
//! (drawn by the HTML export's renderer) with its digest and decisions, the decision form for
//! approvers, and the exports. Server-rendered HTML: no scripts, no external resources.
//!
//! The token is kept in a cookie (`HttpOnly; SameSite=Strict; Path=/`; not `Secure`, since the
//! server speaks plain HTTP: put it behind HTTPS in production). The decision form also carries
//! a token keyed by the user's token and the session ([`form_token`]), checked on POST, so it
//! cannot be posted from another site even where a browser ignores `SameSite`.

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use screening_report::{HTML_STYLE, Meta, html_escape as esc, utc_minute};
use screening_sync::{DecisionRecord, DecisionRequest, SessionListing, TeamReport, Verdict};
use serde::Deserialize;

use crate::api::Caller;
use crate::db::{User, now_ms};
use crate::sessions::{DECIDERS, listing, listings, record_decision, team_report};
use crate::{Db, Failure};

/// The cookie that holds the signed-in user's token.
const COOKIE: &str = "screening_token";

/// The page routes (state: the [`Db`]).
pub(crate) fn routes() -> Router<Db> {
    Router::new()
        .route("/", get(home))
        .route("/login", post(login).get(|| async { Redirect::to("/") }))
        .route("/logout", post(logout))
        .route("/sessions/{id}", get(session_page))
        .route("/sessions/{id}/decision", post(decide))
        .route("/sessions/{id}/export/{format}", get(export))
}

// ---------------------------------------------------------------------------------------------
// Signing in

/// A signed-in visitor: the user and the token they signed in with.
struct Visitor {
    user: User,
    token: String,
}

/// The token in the request's cookie, if any.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// The signed-in visitor, or the sign-in page (which comes back to `next`): 200 at `/` when
/// there is no cookie, 401 elsewhere or when the cookie's token no longer works.
async fn visitor(db: &Db, headers: &HeaderMap, next: &str) -> Result<Visitor, Response> {
    let Some(token) = cookie_token(headers) else {
        let status = if next == "/" { StatusCode::OK } else { StatusCode::UNAUTHORIZED };
        return Err(login_page(status, None, next));
    };
    match db.authenticate(&token).await {
        Ok(user) => Ok(Visitor { user, token }),
        Err(f) if f.status == StatusCode::UNAUTHORIZED => {
            let why = format!("You are signed out: {}. Sign in again.", f.message);
            let mut page = login_page(StatusCode::UNAUTHORIZED, Some(&why), next);
            page.headers_mut().append(header::SET_COOKIE, clear_cookie());
            Err(page)
        }
        Err(f) => Err(failure_page(&f, None)),
    }
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    next: String,
}

/// Checks the token like the API does; a good one goes into the cookie.
async fn login(State(db): State<Db>, form: Result<Form<LoginForm>, FormRejection>) -> Response {
    let Ok(Form(form)) = form else {
        return login_page(StatusCode::BAD_REQUEST, Some("Send the sign-in form."), "/");
    };
    let next = safe_next(&form.next);
    let token = form.token.trim();
    // Tokens are hex; anything else could not go into a cookie as it is (and is no token).
    let cookie_safe = token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let user = if token.is_empty() {
        Err(Failure::unauthorized("give your token"))
    } else if cookie_safe {
        db.authenticate(token).await
    } else {
        Err(Failure::unauthorized("the token is not valid"))
    };
    match user {
        Ok(_) => {
            let mut r = Redirect::to(next).into_response();
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
            )) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            secure(r)
        }
        Err(f) if f.status == StatusCode::UNAUTHORIZED => {
            let why = format!("Not signed in: {}.", f.message);
            login_page(StatusCode::UNAUTHORIZED, Some(&why), next)
        }
        Err(f) => failure_page(&f, None),
    }
}

/// Forgets the cookie. (Signing someone out is all a forged request could do here.)
async fn logout() -> Response {
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    secure(r)
}

fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("screening_token=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
}

/// Where to go after signing in: a path on this site, else `/`.
fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.bytes().all(|b| b.is_ascii_graphic());
    if local { next } else { "/" }
}

fn login_page(status: StatusCode, error: Option<&str>, next: &str) -> Response {
    let error = error
        .map_or(String::new(), |e| format!("<p class=\"error\" role=\"alert\">{}</p>\n", esc(e)));
    let body = format!(
        "<section class=\"login\">\n<h1>Screening Room</h1>\n\
         <p class=\"note\">Sign in with the token that <code>screening server add-user</code> \
         printed for you.</p>\n{error}\
         <form method=\"post\" action=\"/login\">\n\
         <input type=\"hidden\" name=\"next\" value=\"{}\">\n\
         <label for=\"token\">Token</label>\n\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" \
         required autofocus>\n\
         <button type=\"submit\" class=\"primary\">Sign in</button>\n</form>\n</section>\n",
        esc(safe_next(next))
    );
    html_page(status, "Sign in · Screening Room", None, &body)
}

// ---------------------------------------------------------------------------------------------
// Pages

/// The published sessions, newest first (the sign-in page when signed out).
async fn home(State(db): State<Db>, headers: HeaderMap) -> Response {
    let v = match visitor(&db, &headers, "/").await {
        Ok(v) => v,
        Err(page) => return page,
    };
    let sessions = match listings(&db).await {
        Ok(s) => s,
        Err(f) => return failure_page(&f, Some(&v.user)),
    };
    let mut body = String::from("<h1>Published sessions</h1>\n");
    if sessions.is_empty() {
        body.push_str(
            "<p class=\"empty\">No published sessions yet: publish one from the desktop app.</p>\n",
        );
    } else {
        let rows: String = sessions.iter().map(session_row).collect();
        body.push_str(&format!(
            "<table class=\"sessions\"><thead><tr><th>Session</th><th>Owner</th>\
             <th>Published</th><th class=\"num\">Personas</th><th>Candidates</th>\
             <th class=\"num\">Events</th><th>Latest decision</th></tr></thead>\n<tbody>\n{rows}\
             </tbody></table>\n"
        ));
    }
    html_page(StatusCode::OK, "Sessions · Screening Room", Some(&v.user), &body)
}

fn session_row(s: &SessionListing) -> String {
    let candidates: Vec<String> = s.candidates.iter().map(|c| esc(c)).collect();
    format!(
        "<tr><td><a href=\"/sessions/{}\">{}</a></td><td>{}</td><td class=\"when\">{}</td>\
         <td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        esc(&segment(&s.id)),
        esc(&s.name),
        esc(&s.owner),
        utc_minute(s.published_at),
        s.personas,
        candidates.join(", "),
        s.events,
        s.decisions.last().map_or("<span class=\"muted\">none yet</span>".into(), latest)
    )
}

/// A decision in a few words: `approved by ann · 2024-05-01 12:00 UTC`.
fn latest(d: &DecisionRecord) -> String {
    format!(
        "{} by {} <span class=\"muted\">· {}</span>",
        verdict_chip(d.decision),
        esc(&d.author),
        utc_minute(d.created_at)
    )
}

fn verdict_chip(v: Verdict) -> &'static str {
    match v {
        Verdict::Approve => "<span class=\"verdict approve\">approved</span>",
        Verdict::Reject => "<span class=\"verdict reject\">rejected</span>",
    }
}

/// One session: the team report, its digest, exports, decisions and (approvers) the form.
async fn session_page(
    State(db): State<Db>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/sessions/{}", segment(&id));
    let v = match visitor(&db, &headers, &here).await {
        Ok(v) => v,
        Err(page) => return page,
    };
    let (session, team) = match load(&db, &id).await {
        Ok(x) => x,
        Err(f) => return failure_page(&f, Some(&v.user)),
    };
    let report = screening_report::html_fragment(&team.report, &meta(&session, &team));
    let panel = session_panel(&session, &team, &here);
    // The panel goes under the report's title and summary, above its gate.
    let report = match report.split_once("</header>\n") {
        Some((head, rest)) => format!("{head}</header>\n{panel}{rest}"),
        None => format!("{panel}{report}"),
    };
    let body = format!(
        "<p class=\"crumbs\"><a href=\"/\">← All sessions</a></p>\n{report}{}",
        decisions_section(&v, &session, &team, &here)
    );
    let title = format!("{} · Screening Room", session.name);
    html_page(StatusCode::OK, &title, Some(&v.user), &body)
}

/// A session's listing and team report.
async fn load(db: &Db, id: &str) -> Result<(SessionListing, TeamReport), Failure> {
    let session = {
        let mut conn = db.pool.acquire().await?;
        listing(&mut conn, id).await?
    };
    Ok((session, team_report(db, id).await?))
}

/// What the report renderer writes in titles and footers.
fn meta(session: &SessionListing, team: &TeamReport) -> Meta {
    Meta {
        title: session.name.clone(),
        dataset: None,
        generated_at_ms: now_ms(),
        source: format!("the report server's judgements (report digest {})", team.digest),
    }
}

/// Who published the session and when, the report's digest, the exports, the latest decision.
fn session_panel(s: &SessionListing, team: &TeamReport, here: &str) -> String {
    let exports: Vec<String> =
        [("html", "HTML"), ("md", "Markdown"), ("csv", "Summary CSV"), ("json", "JSON")]
            .iter()
            .map(|(f, label)| format!("<a href=\"{}/export/{f}\" download>{label}</a>", esc(here)))
            .collect();
    let latest =
        s.decisions.last().map_or("<span class=\"muted\">No decision yet.</span>".into(), |d| {
            format!("Latest decision: {}", latest(d))
        });
    format!(
        "<section id=\"session\" class=\"panel\">\n\
         <p>Published by {} on {} · candidates {}</p>\n\
         <p>Report digest <code class=\"digest\">{}</code></p>\n\
         <p class=\"exports\">Download the report: {}</p>\n\
         <p class=\"latest\">{latest}</p>\n</section>\n",
        esc(&s.owner),
        utc_minute(s.published_at),
        s.candidates.iter().map(|c| esc(c)).collect::<Vec<_>>().join(", "),
        esc(&team.digest),
        exports.join(" · ")
    )
}

/// The decisions so far and, for approvers, the form to add one.
fn decisions_section(v: &Visitor, s: &SessionListing, team: &TeamReport, here: &str) -> String {
    let mut out = String::from("<section id=\"decisions\">\n<h2>Decisions</h2>\n");
    if s.decisions.is_empty() {
        out.push_str("<p class=\"empty\">No decision yet.</p>\n");
    } else {
        let rows: String = s
            .decisions
            .iter()
            .rev()
            .map(|d| {
                let which = if d.report_digest == team.digest {
                    "this report"
                } else {
                    "an earlier report"
                };
                format!(
                    "<tr><td class=\"when\">{}</td><td>{}</td><td>{}</td><td class=\"note-text\">{}</td>\
                     <td class=\"digest\"><code class=\"digest\" title=\"{}\">{}…</code> <span class=\"muted\">{which}</span></td></tr>\n",
                    utc_minute(d.created_at),
                    esc(&d.author),
                    verdict_chip(d.decision),
                    esc(&d.note),
                    esc(&d.report_digest),
                    esc(d.report_digest.get(..12).unwrap_or(&d.report_digest)),
                )
            })
            .collect();
        out.push_str(&format!(
            "<table class=\"decisions\"><thead><tr><th>When</th><th>Who</th><th>Decision</th>\
             <th>Note</th><th>Report digest</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n"
        ));
    }
    if DECIDERS.contains(&v.user.role) {
        out.push_str(&format!(
            "<form method=\"post\" action=\"{}/decision\" class=\"decide panel\">\n\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\n\
             <input type=\"hidden\" name=\"digest\" value=\"{}\">\n\
             <label for=\"note\">Note <span class=\"muted\">(optional)</span></label>\n\
             <textarea id=\"note\" name=\"note\" rows=\"3\"></textarea>\n\
             <div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"approve\" \
             class=\"approve\">Approve</button> <button type=\"submit\" name=\"decision\" \
             value=\"reject\" class=\"reject\">Reject</button></div>\n\
             <p class=\"note\">Your decision is recorded with the digest of the report above; \
             if new judgements arrive before you send it, you are asked to look again.</p>\n\
             </form>\n",
            esc(here),
            form_token(&v.token, &s.id),
            esc(&team.digest)
        ));
    } else {
        out.push_str(&format!(
            "<p class=\"note\">Only approvers record decisions; you are signed in as a {}.</p>\n",
            v.user.role.as_str()
        ));
    }
    out.push_str("</section>\n");
    out
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    digest: String,
}

/// The decision form: an approver, the form's token, then recorded as the API records it.
async fn decide(
    State(db): State<Db>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let here = format!("/sessions/{}", segment(&id));
    let v = match visitor(&db, &headers, &here).await {
        Ok(v) => v,
        Err(page) => return page,
    };
    let caller = Caller(v.user.clone());
    if let Err(f) = caller.require(DECIDERS, "recording a decision") {
        return failure_back(&f, Some(&v.user), &here, "← Back to the session");
    }
    let Ok(Form(form)) = form else {
        let f = Failure::bad_request("send the decision form");
        return failure_back(&f, Some(&v.user), &here, "← Back to the session");
    };
    if !form_token_ok(&v.token, &id, &form.csrf) {
        let f = Failure::forbidden(
            "the form's security token is missing or wrong (was it sent from another site?): \
             reload the session's page and decide there",
        );
        return failure_back(&f, Some(&v.user), &here, "← Back to the session");
    }
    let decision = match form.decision.as_str() {
        "approve" => Verdict::Approve,
        "reject" => Verdict::Reject,
        other => {
            let f = Failure::bad_request(format!("decision {other:?}: approve or reject"));
            return failure_back(&f, Some(&v.user), &here, "← Back to the session");
        }
    };
    let req = DecisionRequest { decision, note: form.note.trim().to_owned() };
    let seen = Some(form.digest.as_str()).filter(|d| !d.is_empty());
    match record_decision(&db, &v.user, id, req, seen).await {
        Ok(_) => secure(Redirect::to(&format!("{here}#decisions")).into_response()),
        Err(f) => failure_back(&f, Some(&v.user), &here, "← Back to the session"),
    }
}

/// The per-form token: blake3 keyed by (a key derived from) the user's token, over the form's
/// purpose and session. Only someone who holds the token can make it.
fn form_token(token: &str, session_id: &str) -> String {
    form_mac(token, session_id).to_hex().to_string()
}

fn form_mac(token: &str, session_id: &str) -> blake3::Hash {
    let key = blake3::derive_key("screening-room web form token v1", token.as_bytes());
    let mut h = blake3::Hasher::new_keyed(&key);
    h.update(b"decision\0").update(session_id.as_bytes());
    h.finalize()
}

/// Whether `given` is the form token (compared in constant time).
fn form_token_ok(token: &str, session_id: &str, given: &str) -> bool {
    blake3::Hash::from_hex(given.trim()).is_ok_and(|g| g == form_mac(token, session_id))
}

/// `GET /sessions/{id}/export/{html|md|csv|json}`: the report as a file to download.
async fn export(
    State(db): State<Db>,
    headers: HeaderMap,
    Path((id, format)): Path<(String, String)>,
) -> Response {
    let here = format!("/sessions/{}/export/{}", segment(&id), segment(&format));
    let v = match visitor(&db, &headers, &here).await {
        Ok(v) => v,
        Err(page) => return page,
    };
    let (ext, content_type) = match format.as_str() {
        "html" => ("html", "text/html; charset=utf-8"),
        "md" => ("md", "text/markdown; charset=utf-8"),
        "csv" => ("csv", "text/csv; charset=utf-8"),
        "json" => ("json", "application/json"),
        other => {
            let f = Failure::not_found(format!("no export {other:?}: html, md, csv or json"));
            return failure_page(&f, Some(&v.user));
        }
    };
    let (session, team) = match load(&db, &id).await {
        Ok(x) => x,
        Err(f) => return failure_page(&f, Some(&v.user)),
    };
    let meta = meta(&session, &team);
    let text = match ext {
        "html" => screening_report::html(&team.report, &meta),
        "md" => screening_report::markdown(&team.report, &meta),
        "csv" => screening_report::summary_csv(&team.report),
        _ => screening_report::json(&team.report),
    };
    let name: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    let disposition = format!("attachment; filename=\"{name}-report.{ext}\"");
    let mut r = text.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(d) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, d);
    }
    secure(r)
}

// ---------------------------------------------------------------------------------------------
// The page frame

/// A failure as a page with its status, and a way back to the sessions.
fn failure_page(f: &Failure, user: Option<&User>) -> Response {
    failure_back(f, user, "/", "← All sessions")
}

/// A failure as a page with its status, and a link `back` to where it happened.
fn failure_back(f: &Failure, user: Option<&User>, back: &str, label: &str) -> Response {
    let heading = match f.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::CONFLICT => "The report has changed",
        StatusCode::UNAUTHORIZED => "Not signed in",
        s if s.is_client_error() => "That did not work",
        _ => "Something went wrong on the server",
    };
    let body = format!(
        "<section class=\"failure\">\n<h1>{heading}</h1>\n<p class=\"error\" role=\"alert\">{}.</p>\n\
         <p><a href=\"{}\">{}</a></p>\n</section>\n",
        esc(upper_first(&f.message).trim_end_matches('.')),
        esc(back),
        esc(label)
    );
    html_page(f.status, &format!("{heading} · Screening Room"), user, &body)
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// A whole page: the report's style sheet and this page's, the top bar, `body` in `<main>`.
fn html_page(status: StatusCode, title: &str, user: Option<&User>, body: &str) -> Response {
    let who = user.map_or(String::new(), |u| {
        format!(
            "<span class=\"who\">{} · {}</span>\
             <form method=\"post\" action=\"/logout\"><button type=\"submit\" class=\"small\">\
             Sign out</button></form>",
            esc(&u.name),
            u.role.as_str()
        )
    });
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{HTML_STYLE}{STYLE}</style>\n</head>\n<body>\n\
         <div class=\"topbar\"><a class=\"brand\" href=\"/\">Screening Room</a>\
         <span class=\"user\">{who}</span></div>\n<main>\n{body}</main>\n</body>\n</html>\n",
        esc(title)
    );
    let mut r = (status, page).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    secure(r)
}

/// Headers every page and download gets: not cached (pages carry form tokens), not framed, no
/// scripts or loads from anywhere, no referrer.
fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

/// `text` as one URL path segment (percent-encoded but for unreserved characters).
fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// This page's style, after the report's (whose colours it uses).
const STYLE: &str = r#"
a { color: var(--chal); }
.topbar { display: flex; align-items: center; justify-content: space-between; gap: 12px;
  padding: 10px 24px; border-bottom: 1px solid var(--line); background: var(--soft); }
.topbar .brand { font-weight: 700; color: var(--ink); text-decoration: none; }
.topbar .user { display: flex; align-items: center; gap: 10px; }
.topbar .who { color: var(--muted); font-size: 14px; }
.topbar form { margin: 0; }
.crumbs { margin: 0 0 12px; font-size: 14px; }
.muted { color: var(--muted); }
.panel { background: var(--soft); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 16px; margin: 14px 0; }
.panel p { margin: 4px 0; }
code.digest { font-size: 12.5px; word-break: break-all; }
button { font: inherit; padding: 6px 16px; border-radius: 6px; border: 1px solid var(--line);
  background: #fff; color: var(--ink); cursor: pointer; }
button.small { font-size: 13px; padding: 2px 10px; }
button.primary { background: var(--chal); border-color: var(--chal); color: #fff; }
button.approve { background: var(--pass); border-color: var(--pass); color: #fff; }
button.reject { background: var(--fail); border-color: var(--fail); color: #fff; }
label { display: block; font-weight: 600; margin: 8px 0 4px; }
input[type=password], textarea { display: block; width: 100%; font: inherit; padding: 7px 10px;
  border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.login { max-width: 420px; margin: 48px auto; }
.login button { margin-top: 12px; }
.login code { white-space: nowrap; }
.decide .buttons { margin: 10px 0 4px; }
.error { color: var(--fail); background: #ffebe9; border: 1px solid #ffcecb; border-radius: 6px;
  padding: 8px 12px; }
.verdict { font-weight: 600; }
.verdict.approve { color: var(--pass); } .verdict.reject { color: var(--fail); }
td.when, td.digest { white-space: nowrap; }
td.note-text { white-space: pre-wrap; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_one_path_segment() {
        assert_eq!(segment("s1-a_b.c~"), "s1-a_b.c~");
        assert_eq!(segment("a b/<c>?#é"), "a%20b%2F%3Cc%3E%3F%23%C3%A9");
    }

    #[test]
    fn only_local_paths_come_back_after_signing_in() {
        assert_eq!(safe_next("/sessions/s%201"), "/sessions/s%201");
        for away in ["", "x", "//evil.example", "/\\evil.example", "https://evil.example", "/a b"] {
            assert_eq!(safe_next(away), "/", "{away:?}");
        }
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; screening_token=abc ; b=2"));
        assert_eq!(cookie_token(&h).as_deref(), Some("abc"));
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1"));
        h.append(header::COOKIE, HeaderValue::from_static("screening_token="));
        assert_eq!(cookie_token(&h), None);
    }

    #[test]
    fn form_tokens_bind_the_user_token_and_the_session() {
        let t = form_token("tok", "s1");
        assert_eq!(t.len(), 64);
        assert!(form_token_ok("tok", "s1", &t));
        assert!(form_token_ok("tok", "s1", &format!(" {t}\n")));
        assert!(!form_token_ok("tok", "s2", &t));
        assert!(!form_token_ok("other", "s1", &t));
        assert!(!form_token_ok("tok", "s1", ""));
        assert!(!form_token_ok("tok", "s1", &t[..63]));
    }
}
