//! Every function's sample event in `events/`, fed to that function's handler with its
//! adapters on `moto_server`, the way `sam local invoke` or Lambda would deliver it.

use serde_json::Value;
use storyloom_application::Ports;
use storyloom_aws::ApiGatewayPusher;
use storyloom_domain::live::{Connection, ConnectionId, LiveTicket, Subscription};
use storyloom_domain::message::{Lane, QueueName};
use storyloom_domain::{BookId, BookStatus, CharacterId, IllustrationStatus, OwnerId};
use storyloom_functions::catalog::{Function, stage_function};
use storyloom_functions::invoke;
use storyloom_functions::live::Socket;
use storyloom_tests::contract::{book, character, page};
use storyloom_tests::fixture::aws::endpoint;
use storyloom_tests::lambda::{aws_stack, header, json_body, sample_event, status};

/// The owner the sample events' tokens name.
const OWNER: &str = "reader-1";
const PICTURE: &[u8] = b"\x89PNG sample picture";
const PDF: &[u8] = b"%PDF-1.7 sample book";
const EPUB: &[u8] = b"PK sample e-book";
/// The ticket the sample `$connect` carries, and the connection every WebSocket sample is.
const SAMPLE_TICKET: &str = "0123456789abcdef0123456789abcdef";
const SAMPLE_CONNECTION: &str = "L0SM9cOFvHcCIhw=";

/// The records the sample events refer to: character `c-hazel`, a finished book
/// `b-sample` (picture on page 1, PDF) and a queued book `b-queued`.
async fn seed(ports: &Ports) {
    let owner = OwnerId::parse(OWNER).unwrap();
    let mut hazel = character(&owner, "Hazel", 1_000);
    hazel.id = CharacterId::parse("c-hazel").unwrap();
    ports.store.put_character(&hazel).await.unwrap();

    let mut finished = book(&owner, 4, 2_000);
    finished.id = BookId::parse("b-sample").unwrap();
    finished.request.cast = vec![hazel.clone()];
    finished.status = BookStatus::Ready;
    finished.pdf_key = Some("books/b-sample/book.pdf".into());
    finished.epub_key = Some("books/b-sample/book.epub".into());
    ports.store.create_book(&finished).await.unwrap();
    for n in 1..=4 {
        ports.store.put_page(&page(&finished.id, n)).await.unwrap();
    }
    let picture = "books/b-sample/pages/001/sample.png";
    ports
        .blobs
        .put(picture, PICTURE.to_vec(), "image/png")
        .await
        .unwrap();
    ports
        .blobs
        .put("books/b-sample/book.pdf", PDF.to_vec(), "application/pdf")
        .await
        .unwrap();
    ports
        .blobs
        .put(
            "books/b-sample/book.epub",
            EPUB.to_vec(),
            "application/epub+zip",
        )
        .await
        .unwrap();
    let outcome = storyloom_domain::ports::IllustrationOutcome {
        status: IllustrationStatus::Ok,
        image_key: Some(picture.into()),
        note: None,
        cost_micros: 0,
    };
    ports
        .store
        .finish_illustration(&finished.id, 1, &outcome)
        .await
        .unwrap();
    // Page 1 was edited once: revision 1 is in its history, revision 2 is current.
    let drawn = ports
        .store
        .get_page(&finished.id, 1)
        .await
        .unwrap()
        .unwrap();
    let edited = storyloom_domain::revision::edit(&finished, &drawn, "Hazel smiled.".into(), 2_100);
    ports.store.revise_page(&drawn, &edited).await.unwrap();

    let mut partial = book(&owner, 4, 2_500);
    partial.id = BookId::parse("b-partial").unwrap();
    partial.request.cast = vec![hazel.clone()];
    partial.status = BookStatus::Partial;
    ports.store.create_book(&partial).await.unwrap();
    for n in 1..=4 {
        ports.store.put_page(&page(&partial.id, n)).await.unwrap();
        let status = if n == 2 {
            IllustrationStatus::Failed
        } else {
            IllustrationStatus::Ok
        };
        let outcome = storyloom_domain::ports::IllustrationOutcome {
            status,
            image_key: None,
            note: None,
            cost_micros: 0,
        };
        ports
            .store
            .finish_illustration(&partial.id, n, &outcome)
            .await
            .unwrap();
    }

    // Shares: b-sample with reader-3, and reader-2's book with reader-1.
    let share = |book_id: &str, owner: &str, user: &str| storyloom_domain::Share {
        book_id: BookId::parse(book_id).unwrap(),
        owner: OwnerId::parse(owner).unwrap(),
        user: OwnerId::parse(user).unwrap(),
        role: storyloom_domain::Role::Viewer,
        granted_at: 4_000,
    };
    ports
        .store
        .put_share(&share("b-sample", OWNER, "reader-3"))
        .await
        .unwrap();
    let mut theirs = book(&OwnerId::parse("reader-2").unwrap(), 4, 3_500);
    theirs.id = BookId::parse("b-theirs").unwrap();
    theirs.status = BookStatus::Ready;
    ports.store.create_book(&theirs).await.unwrap();
    ports
        .store
        .put_share(&share("b-theirs", "reader-2", OWNER))
        .await
        .unwrap();

    // Live progress: the sample connect's ticket, and the sample connection following
    // b-sample (the subscribe, disconnect and notify samples name it).
    let now = ports.clock.now_ms();
    let ticket = LiveTicket {
        ticket: SAMPLE_TICKET.into(),
        owner: owner.clone(),
        expires_at_ms: now + 60_000,
    };
    ports.store.put_ticket(&ticket).await.unwrap();
    let connection = Connection::open(
        ConnectionId::parse(SAMPLE_CONNECTION).unwrap(),
        owner.clone(),
        now,
    );
    ports.store.put_connection(&connection).await.unwrap();
    ports
        .store
        .subscribe(&Subscription {
            book: BookId::parse("b-sample").unwrap(),
            connection: connection.id.clone(),
            owner: owner.clone(),
            expires_at_ms: connection.expires_at_ms,
        })
        .await
        .unwrap();

    let mut queued = book(&owner, 4, 3_000);
    queued.id = BookId::parse("b-queued").unwrap();
    queued.request.cast = vec![hazel];
    ports.store.create_book(&queued).await.unwrap();
}

async fn fetch(url: &str) -> Vec<u8> {
    let response = storyloom_tests::http().get(url).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.bytes().await.unwrap().to_vec()
}

async fn book_status(ports: &Ports, id: &str) -> BookStatus {
    let id = BookId::parse(id).unwrap();
    ports.store.get_book(&id).await.unwrap().unwrap().status
}

/// Checks one HTTP function's response to its sample event.
async fn check_http(name: &str, response: &Value) {
    let code = status(response);
    let expect = match name {
        "create-character" | "create-live-ticket" => 201,
        "create-book" | "retry-book" | "redraw-picture" => 202,
        "delete-character" | "delete-book" | "delete-share" => 204,
        "get-page-picture"
        | "download-pdf"
        | "download-epub"
        | "get-portrait"
        | "get-revision-picture" => 307,
        _ => 200,
    };
    assert_eq!(code, expect, "{name}: {response}");
    match name {
        "create-character" => assert_eq!(json_body(response)["name"], "Otto"),
        "list-characters" => assert_eq!(json_body(response)["items"][0]["id"], "c-hazel"),
        "get-character" => assert_eq!(json_body(response)["name"], "Hazel"),
        "update-character" => {
            let body = json_body(response);
            assert_eq!(
                (body["id"].as_str(), body["name"].as_str()),
                (Some("c-hazel"), Some("Otto"))
            );
            assert_eq!(body["portrait"], 1, "an edit draws a new portrait");
        }
        "redraw-portrait" => assert_eq!(json_body(response)["portrait"], 1),
        "get-portrait" => {
            let png = fetch(header(response, "location").unwrap()).await;
            assert!(png.starts_with(b"\x89PNG"), "{response}");
        }
        "create-book" => assert!(header(response, "location").is_some(), "{response}"),
        "list-books" => assert_eq!(json_body(response)["items"].as_array().unwrap().len(), 3),
        "get-book" => assert_eq!(json_body(response)["status"], "ready"),
        "cancel-book" => assert_eq!(json_body(response)["status"], "cancelled"),
        "retry-book" => assert_eq!(json_body(response)["status"], "illustrating"),
        "get-progress" => assert_eq!(json_body(response)["status"], "ready"),
        "list-pages" => assert_eq!(json_body(response)["items"].as_array().unwrap().len(), 4),
        "list-shared-books" => {
            let items = json_body(response)["items"].clone();
            assert_eq!(items[0]["book"]["id"], "b-theirs", "{response}");
            assert_eq!(items[0]["access"], "viewer", "{response}");
        }
        "list-shares" => assert_eq!(json_body(response)["items"][0]["user"], "reader-3"),
        "put-share" => assert_eq!(json_body(response)["role"], "editor"),
        "get-revision-picture" => {
            assert_eq!(fetch(header(response, "location").unwrap()).await, PICTURE);
        }
        "get-page-picture" => {
            assert_eq!(fetch(header(response, "location").unwrap()).await, PICTURE);
        }
        "download-pdf" => {
            assert_eq!(fetch(header(response, "location").unwrap()).await, PDF);
        }
        "download-epub" => {
            assert_eq!(fetch(header(response, "location").unwrap()).await, EPUB);
        }
        "get-page" => {
            assert_eq!(header(response, "etag"), Some("\"r2\""), "{response}");
            assert_eq!(json_body(response)["text"], "Hazel smiled.");
        }
        "edit-page" => {
            assert_eq!(json_body(response)["revision"], 3, "{response}");
            assert_eq!(
                json_body(response)["text"],
                "Hazel waved goodnight to the moon."
            );
        }
        "list-revisions" => {
            let body = json_body(response);
            assert_eq!(body["current"]["revision"], 2, "{response}");
            assert_eq!(body["items"][0]["revision"], 1, "{response}");
            assert_eq!(body["items"][0]["had_picture"], true, "{response}");
        }
        "restore-revision" => {
            let body = json_body(response);
            assert_eq!(body["revision"], 3, "{response}");
            assert_eq!(body["change"]["kind"], "restore", "{response}");
        }
        "redraw-picture" => {
            assert_eq!(json_body(response)["illustration"], "pending", "{response}");
            assert_eq!(json_body(response)["direction"], "make the sky stormy");
        }
        "set-book-cap" => assert_eq!(json_body(response)["cost"]["cap_usd"], 0.5),
        "get-budget" => assert_eq!(json_body(response)["spent_this_month_usd"], 0.0),
        "put-budget" => assert_eq!(json_body(response)["monthly_usd"], 5.0),
        "create-live-ticket" => {
            let body = json_body(response);
            assert!(
                LiveTicket::well_formed(body["ticket"].as_str().unwrap_or_default()),
                "{response}"
            );
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sample_event_is_handled_by_its_function() {
    for function in Function::all() {
        let name = function.name();
        let (ports, clients, settings) = aws_stack().await;
        seed(&ports).await;
        let event = sample_event(name);
        match function {
            Function::Http(endpoint) => {
                let response = invoke::http(endpoint, ports.clone(), event)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                check_http(name, &response).await;
            }
            Function::Socket(socket) => {
                // Pushes go to moto's management API, which accepts them.
                let pusher = ApiGatewayPusher::new(clients.management(&endpoint()));
                let response = invoke::socket(&ports, &pusher, socket, event.clone())
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(response["statusCode"], 200, "{name}: {response}");
                let id = ConnectionId::parse(SAMPLE_CONNECTION).unwrap();
                let sample = BookId::parse("b-sample").unwrap();
                let now = ports.clock.now_ms();
                let followers = ports.store.subscribers(&sample, now).await.unwrap();
                match socket {
                    Socket::Connect => {
                        let open = ports.store.get_connection(&id, now).await.unwrap();
                        assert_eq!(open.map(|c| c.owner.to_string()), Some(OWNER.into()));
                        // The ticket was used up: the same handshake again is refused.
                        let again = invoke::socket(&ports, &pusher, socket, event)
                            .await
                            .unwrap();
                        assert_eq!(again["statusCode"], 403, "{again}");
                    }
                    Socket::Subscribe => assert_eq!(followers.len(), 1, "{followers:?}"),
                    Socket::Disconnect => {
                        assert!(followers.is_empty(), "{followers:?}");
                        assert_eq!(ports.store.get_connection(&id, now).await.unwrap(), None);
                    }
                }
            }
            Function::Notifier => {
                let pusher = ApiGatewayPusher::new(clients.management(&endpoint()));
                let response = invoke::notify(&ports, &pusher, event)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    response["batchItemFailures"],
                    serde_json::json!([]),
                    "{response}"
                );
            }
            Function::Probe => {
                // No authorizer in front: the probe is public, and every dependency on
                // moto answers.
                let response = invoke::probe(ports.clone(), event)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(status(&response), 200, "{response}");
                let body = json_body(&response);
                assert_eq!(body["status"], "ready", "{response}");
                for check in ["store", "queue", "blobs", "secrets"] {
                    assert_eq!(body["checks"][check], "ok", "{response}");
                }
            }
            Function::Stage(queue) => {
                // The stages run in pipeline order on the queued book, so each event does
                // real work: write, review, draw page 1, then assembly (not yet due).
                for earlier in QueueName::ALL.into_iter().take_while(|q| *q != queue) {
                    let earlier_event = sample_event(stage_function(earlier));
                    invoke::stage(&ports, earlier, earlier_event).await.unwrap();
                }
                let response = invoke::stage(&ports, queue, event)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    response["batchItemFailures"],
                    serde_json::json!([]),
                    "{name}: {response}"
                );
                let expected = match name {
                    "write-story" => BookStatus::Reviewing,
                    _ => BookStatus::Illustrating,
                };
                assert_eq!(book_status(&ports, "b-queued").await, expected, "{name}");
                if name == "illustrate-page" || name == "assemble-book" {
                    let p1 = ports
                        .store
                        .get_page(&BookId::parse("b-queued").unwrap(), 1)
                        .await
                        .unwrap()
                        .unwrap();
                    assert_eq!(p1.illustration, IllustrationStatus::Ok, "{name}");
                }
            }
            Function::Job(_) => {
                if name == "redrive-dead-letters" {
                    // A review message that kept failing sits in the review DLQ.
                    let body = serde_json::json!({"message": {"type": "review_story", "book_id": "b-queued"}, "correlation_id": "c-1"});
                    clients
                        .sqs
                        .send_message()
                        .queue_url(&settings.queues.dead[&(QueueName::Review, Lane::Standard)])
                        .message_body(body.to_string())
                        .send()
                        .await
                        .unwrap();
                }
                let report = invoke::job(
                    &ports,
                    match function {
                        Function::Job(j) => j,
                        _ => unreachable!(),
                    },
                    event,
                )
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
                match name {
                    "sweep-stalled" => {
                        // b-queued was queued in 1970 by the clock: long stalled.
                        assert_eq!(report, serde_json::json!({"restarted": 1, "failed": 0}));
                        let id = BookId::parse("b-queued").unwrap();
                        let swept = ports.store.get_book(&id).await.unwrap().unwrap();
                        assert_eq!(swept.sweeps, 1);
                        let restarted = ports
                            .queue
                            .receive(QueueName::Story, 10, std::time::Duration::from_secs(30))
                            .await
                            .unwrap();
                        assert_eq!(restarted.len(), 1, "the stage's message was not re-sent");
                    }
                    "redrive-dead-letters" => {
                        assert_eq!(
                            report,
                            serde_json::json!({"redriven": 1, "gave_up": 0, "kept": 0})
                        );
                        let review = QueueName::Review;
                        assert_eq!(ports.queue.dead_letter_count(review).await.unwrap(), 0);
                    }
                    _ => {
                        // The picture, the PDF and the e-book: all in use.
                        assert_eq!(report["examined"], 3, "{report}");
                        assert_eq!(report["deleted"], 0, "{report}");
                    }
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_functions_trust_the_verified_token_not_a_header() {
    let (ports, _, _) = aws_stack().await;
    seed(&ports).await;
    // No authorizer claims, but a forged owner header: anonymous, 401.
    let mut event = sample_event("list-characters");
    event["requestContext"]
        .as_object_mut()
        .unwrap()
        .remove("authorizer");
    event["headers"]["x-owner-id"] = serde_json::json!(OWNER);
    let response = invoke::http(
        storyloom_http::Endpoint::ListCharacters,
        ports.clone(),
        event,
    )
    .await
    .unwrap();
    assert_eq!(status(&response), 401, "{response}");
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    // Another verified user sees none of reader-1's characters.
    let mut event = sample_event("get-character");
    event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = serde_json::json!("reader-2");
    let response = invoke::http(storyloom_http::Endpoint::GetCharacter, ports, event)
        .await
        .unwrap();
    assert_eq!(status(&response), 404, "{response}");
}
