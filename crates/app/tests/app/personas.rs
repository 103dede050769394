//! Personas: the demo's samples, editing with checks, locks by sessions, sharing as JSON.

use screening_app::{ErrorCode, NewSessionRequest, PERSONA_FILE_FORMAT, PersonaFile, UserQuery};
use screening_core::{HistoryEntry, Persona};

use crate::workspace;

fn entry(item_id: &str, timestamp: i64) -> HistoryEntry {
    HistoryEntry { item_id: item_id.into(), timestamp, event_type: String::new() }
}

/// A new persona (empty id) watching the first `n` demo items, newest first as a UI might send.
fn draft(name: &str, items: &[&str]) -> Persona {
    Persona {
        id: String::new(),
        name: format!("  {name} "),
        description: "Watches the new things first.".into(),
        tags: vec!["drama".into(), " ".into(), "Drama".into(), "weekend".into()],
        history: items
            .iter()
            .enumerate()
            .map(|(i, id)| entry(id, 1_780_000_000 - i as i64 * 3600))
            .collect(),
        external_user_ids: Default::default(),
    }
}

/// Ids of the first `n` demo items.
fn demo_items(n: usize) -> Vec<String> {
    crate::demo().dataset().items.iter().take(n).map(|i| i.id.clone()).collect()
}

#[tokio::test]
async fn the_samples_are_added_once_and_a_new_persona_is_checked_and_tidied() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, store) = workspace(dir.path(), "ana").await;
    assert_eq!(ws.personas.list().await.unwrap().len(), 6);
    ws.personas.delete("sports-fan").await.unwrap();

    let items = demo_items(3);
    let ids: Vec<&str> = items.iter().map(String::as_str).collect();
    let saved = ws.personas.save(draft("Drama lover", &ids)).await.unwrap();
    let p = &saved.persona;
    assert_eq!((p.id.as_str(), p.name.as_str()), ("drama-lover", "Drama lover"));
    assert_eq!(p.tags, ["drama", "weekend"], "blank and repeated tags dropped");
    let order: Vec<&str> = p.history.iter().map(|h| h.item_id.as_str()).collect();
    assert_eq!(order, [ids[2], ids[1], ids[0]], "stored oldest first");
    assert!(p.history.iter().all(|h| h.event_type == "watch"));
    assert_eq!(saved.history[0].item.id, ids[0], "shown newest first");
    let again = ws.personas.save(draft("Drama lover", &ids)).await.unwrap();
    assert_eq!(again.persona.id, "drama-lover-2", "ids stay unique");

    let mut bad_item = draft("Broken", &ids);
    bad_item.history[1].item_id = "no-such-item".into();
    let mut bad_time = draft("Broken", &ids);
    bad_time.history[2].timestamp = 1_780_000_000_000;
    let cases = [
        (draft("   ", &ids), "field \"name\""),
        (bad_item, "field \"history\", entry 2: item \"no-such-item\" is not in the dataset"),
        (
            bad_time,
            "field \"history\", entry 3: timestamp 1780000000000 is not between 1970 and 2100",
        ),
    ];
    for (persona, expected) in cases {
        let e = ws.personas.save(persona).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(expected), "{expected:?} in {:?}", e.message);
    }
    assert_eq!(ws.personas.list().await.unwrap().len(), 7, "5 samples + 2 saved, none broken");

    // The samples are not added back on the next start.
    drop(ws);
    store.close().await;
    let (ws, _store) = workspace(dir.path(), "ana").await;
    let names: Vec<String> =
        ws.personas.list().await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names.len(), 7);
    assert!(!names.contains(&"Sports fan".to_owned()), "{names:?}");
}

#[tokio::test]
async fn a_persona_in_a_session_is_locked_but_can_be_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _store) = workspace(dir.path(), "ana").await;
    ws.reviews
        .create_session(NewSessionRequest {
            name: "Kids check".into(),
            persona_ids: vec!["kids-family".into()],
            candidate_ids: vec!["builtin-popularity".into(), "builtin-ease".into()],
            k: 5,
            blind: true,
            criteria: vec![],
            incumbent_candidate_id: None,
            challenger_candidate_id: None,
        })
        .await
        .unwrap();
    let listed = ws.personas.list().await.unwrap();
    let kids = listed.iter().find(|p| p.id == "kids-family").unwrap();
    assert_eq!(kids.sessions, ["Kids check"]);

    let mut edited = ws.personas.get("kids-family").await.unwrap().persona;
    edited.name = "Renamed".into();
    let e = ws.personas.save(edited.clone()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("the review session \"Kids check\" uses it"), "{}", e.message);
    assert!(e.message.contains("Duplicate it"), "{}", e.message);
    let e = ws.personas.delete("kids-family").await.unwrap_err();
    assert!(e.message.contains("cannot be deleted"), "{}", e.message);

    let copy = ws.personas.duplicate("kids-family").await.unwrap();
    assert_eq!(copy.persona.name, format!("{} (copy)", kids.name));
    assert_eq!(copy.persona.history, ws.personas.get("kids-family").await.unwrap().persona.history);
    let mut changed = copy.persona.clone();
    changed.history.truncate(1);
    let saved = ws.personas.save(changed).await.unwrap();
    assert_eq!((saved.persona.id, saved.history.len()), (copy.persona.id.clone(), 1));
    ws.personas.delete(&copy.persona.id).await.unwrap();
    assert_eq!(ws.personas.get(&copy.persona.id).await.unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_persona_library_travels_as_json_all_or_nothing() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (here, _s1) = workspace(a.path(), "ana").await;
    let (there, _s2) = workspace(b.path(), "bo").await;
    let items = demo_items(2);
    let mine = here.personas.save(draft("Shared one", &[&items[0], &items[1]])).await.unwrap();
    let file = a.path().join("personas.json");
    assert_eq!(here.personas.export_to(&file, None).await.unwrap(), 7);
    let parsed: PersonaFile =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!((parsed.format.as_str(), parsed.version), (PERSONA_FILE_FORMAT, 1));
    assert_eq!(parsed.dataset.name, "Demo catalog");

    let report = there.personas.import_from(&file).await.unwrap();
    assert_eq!(
        (report.added.clone(), report.updated.len(), report.unchanged.len()),
        (vec!["Shared one".to_owned()], 0, 6)
    );
    assert_eq!(there.personas.get(&mine.persona.id).await.unwrap().persona, mine.persona);
    let report = there.personas.import_from(&file).await.unwrap();
    assert_eq!((report.added.len(), report.unchanged.len()), (0, 7));

    // Only some personas, then an edited one replaces the other machine's copy.
    let one = a.path().join("one.json");
    here.personas.export_to(&one, Some(vec![mine.persona.id.clone()])).await.unwrap();
    let mut edited: PersonaFile =
        serde_json::from_str(&std::fs::read_to_string(&one).unwrap()).unwrap();
    assert_eq!(edited.personas.len(), 1);
    edited.personas[0].name = "Shared one, v2".into();
    std::fs::write(&one, serde_json::to_string(&edited).unwrap()).unwrap();
    let report = there.personas.import_from(&one).await.unwrap();
    assert_eq!(report.updated, ["Shared one, v2"]);

    // Bad files name the file, the persona and the field, and change nothing.
    let mut good_new = edited.personas[0].clone();
    good_new.id = "brand-new".into();
    let mut unknown_item = good_new.clone();
    unknown_item.id = "other".into();
    unknown_item.history[1].item_id = "gone".into();
    let with = |personas: Vec<Persona>| {
        serde_json::to_string(&PersonaFile { personas, ..edited.clone() }).unwrap()
    };
    let cases = [
        (
            "{\n  \"format\": 3\n}".to_owned(),
            "not a persona file: invalid type: integer `3`, expected a string at line 2",
        ),
        (
            with(vec![]).replace(PERSONA_FILE_FORMAT, "spreadsheet"),
            "field \"format\" is \"spreadsheet\"",
        ),
        (with(vec![]).replace("\"version\":1", "\"version\":9"), "field \"version\" is 9"),
        (
            with(vec![good_new.clone(), unknown_item]),
            "personas[1] (\"other\"): field \"history\", entry 2: item \"gone\" is not in the dataset",
        ),
        (
            with(vec![good_new.clone(), good_new.clone()]),
            "personas[1] (\"brand-new\"): field \"id\" appears twice",
        ),
        (
            with(vec![Persona { id: "Bad Id".into(), ..good_new }]),
            "personas[0] (\"Bad Id\"): field \"id\" must be",
        ),
    ];
    let bad = b.path().join("bad.json");
    for (text, expected) in cases {
        std::fs::write(&bad, text).unwrap();
        let e = there.personas.import_from(&bad).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.starts_with(&bad.display().to_string()), "{}", e.message);
        assert!(e.message.contains(expected), "{expected:?} in {:?}", e.message);
    }
    assert!(
        there.personas.get("brand-new").await.is_err(),
        "the good persona of a bad file is not added"
    );
    assert_eq!(there.personas.list().await.unwrap().len(), 7);
}

#[tokio::test]
async fn real_users_are_listed_most_active_first_and_become_personas() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _store) = workspace(dir.path(), "ana").await;
    let top = ws.personas.users(UserQuery { text: String::new(), limit: 3 }).await.unwrap();
    assert_eq!(top.len(), 3);
    assert!(top.windows(2).all(|w| w[0].events >= w[1].events), "{top:?}");
    let user = &top[0];
    let wanted = UserQuery { text: user.user_id.to_uppercase(), limit: 200 };
    assert!(ws.personas.users(wanted).await.unwrap().iter().any(|u| u.user_id == user.user_id));
    assert!(ws.personas.users(UserQuery { text: String::new(), limit: 0 }).await.is_err());

    let made = ws
        .personas
        .from_user(screening_app::FromUserRequest { user_id: user.user_id.clone(), name: None })
        .await
        .unwrap();
    let p = &made.persona;
    assert_eq!(p.name, format!("User {}", user.user_id));
    assert_eq!(p.history.len(), (user.events as usize).min(screening_app::MAX_USER_EVENTS));
    assert!(p.history.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
    assert_eq!(p.history.last().unwrap().timestamp, user.last_timestamp, "the newest events kept");
    assert!(p.description.contains("Demo catalog"), "{}", p.description);
    let e = ws
        .personas
        .from_user(screening_app::FromUserRequest { user_id: "nobody".into(), name: None })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}
