//! What the store itself keeps, on either database: judgement events and decisions are never
//! changed or deleted, user names are unique, a reopened database has everything.

use screening_server::{Db, NewUser};
use screening_sync::{DecisionRequest, Role, Verdict};
use sqlx::AnyPool;

use crate::{Server, judgements, session};

crate::on_every_backend!(
    stored_events_and_decisions_can_be_neither_changed_nor_deleted,
    a_user_name_is_taken_once,
    a_reopened_database_has_every_user_session_event_and_decision,
);

/// Judgements of session s1 by ann and a decision on them by pat.
async fn judged_and_decided(server: &Server) {
    let (ann, _) = server.user("ann", Role::Reviewer).await;
    let (pm, _) = server.user("pat", Role::Approver).await;
    ann.publish(&session("s1")).await.unwrap();
    ann.push("a", &judgements("s1", "ann", 5, 2)).await.unwrap();
    let decision = DecisionRequest { decision: Verdict::Approve, note: "ship".into() };
    pm.decide("s1", &decision).await.unwrap();
}

async fn stored_events_and_decisions_can_be_neither_changed_nor_deleted(server: Server) {
    judged_and_decided(&server).await;
    // Past the server, straight to the database: its triggers refuse.
    let pool = AnyPool::connect(&server.db_url).await.unwrap();
    for sql in [
        "UPDATE events SET payload = 'changed'",
        "DELETE FROM events",
        "UPDATE decisions SET note = 'changed'",
        "DELETE FROM decisions",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.expect_err(sql).to_string();
        assert!(err.contains("immutable") || err.contains("never deleted"), "{sql}: {err}");
    }
    let count = |sql| sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool);
    let events = count("SELECT COUNT(*) FROM events WHERE payload <> 'changed'").await.unwrap();
    let decisions = count("SELECT COUNT(*) FROM decisions WHERE note = 'ship'").await.unwrap();
    assert_eq!((events, decisions), (6, 1));
    pool.close().await;
}

async fn a_user_name_is_taken_once(server: Server) {
    server.user("ann", Role::Reviewer).await;
    let again = NewUser { name: "ann".into(), role: Role::Admin, expires_in: None };
    assert_eq!(
        server.db.add_user(&again).await.unwrap_err(),
        "a user named \"ann\" exists already"
    );
    assert_eq!(server.db.revoke("ann").await.unwrap(), 1);
    assert_eq!(server.db.revoke("nobody").await.unwrap_err(), "no user named \"nobody\"");
}

async fn a_reopened_database_has_every_user_session_event_and_decision(server: Server) {
    judged_and_decided(&server).await;
    let (_, token) = server.user("rita", Role::Reviewer).await;
    // Another server over the same database (its migrations are applied already).
    let again = Server::start_at(&server.db_url, None).await;
    let rita = screening_sync::Client::new(&again.url(), &token);
    let listed = rita.sessions().await.unwrap();
    assert_eq!((listed.len(), listed[0].events, listed[0].decisions.len()), (1, 6, 1));
    let (pm, _) = again.user("quinn", Role::Approver).await;
    assert_eq!(again.stored(&pm).await, 6);
    again.db.close().await;
    // Opening it a third time, as `screening server` does, migrates nothing and fails nothing.
    Db::open(&server.db_url).await.unwrap().close().await;
}
