//! A whole book on AWS APIs (`moto_server`): ordered through the HTTP functions as API
//! Gateway events, made by the stage functions fed by the event-source driver, and found
//! where it belongs — the book Ready in DynamoDB with its pages, pictures and PDF in S3,
//! and nothing in any queue or dead-letter queue.

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use storyloom_cli::driver::Driver;
use storyloom_domain::message::{Lane, QueueName};
use storyloom_functions::invoke;
use storyloom_http::Endpoint;
use storyloom_tests::lambda::{api_event, aws_stack, header, json_body, status};
use storyloom_tests::pdf::check_pdf;

const OWNER: &str = "reader-e2e";
const PAGES: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_book_is_made_end_to_end_on_aws_apis() {
    let (ports, clients, settings) = aws_stack().await;
    let driver = Driver::start(ports.clone());
    let call = |endpoint: Endpoint, method: &'static str, path: String, body: Option<Value>| {
        let ports = ports.clone();
        async move {
            invoke::http(
                endpoint,
                ports,
                api_event(method, &path, OWNER, body.as_ref()),
            )
            .await
            .expect("the function answers")
        }
    };

    let mut cast = Vec::new();
    for c in [
        json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"], "visual_description": "a small brown hedgehog with a red scarf", "voice": "asks questions"}),
        json!({"name": "Otto", "kind": "owl", "traits": ["wise"], "visual_description": "a grey owl with glasses", "voice": "grand"}),
    ] {
        let r = call(
            Endpoint::CreateCharacter,
            "POST",
            "/v1/characters".into(),
            Some(c),
        )
        .await;
        assert_eq!(status(&r), 201, "{r}");
        cast.push(json_body(&r)["id"].clone());
    }
    let order = json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5", "page_count": PAGES, "art_style": "crayon", "cast": cast, "seed": 11});
    let r = call(
        Endpoint::CreateBook,
        "POST",
        "/v1/books".into(),
        Some(order),
    )
    .await;
    assert_eq!(status(&r), 202, "{r}");
    let id = json_body(&r)["id"].as_str().unwrap().to_owned();
    assert_eq!(
        header(&r, "location"),
        Some(format!("/v1/books/{id}").as_str())
    );

    let started = Instant::now();
    let progress = loop {
        let r = call(
            Endpoint::GetProgress,
            "GET",
            format!("/v1/books/{id}/progress"),
            None,
        )
        .await;
        assert_eq!(status(&r), 200, "{r}");
        let p = json_body(&r);
        if matches!(p["status"].as_str(), Some("ready" | "partial" | "failed")) {
            break p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the book did not finish: {p}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(progress["status"], "ready", "{progress}");

    // The pages, in DynamoDB.
    let pages = clients
        .dynamodb
        .query()
        .table_name(&settings.table)
        .key_condition_expression("PK = :pk AND begins_with(SK, :page)")
        .expression_attribute_values(":pk", AttributeValue::S(format!("BOOK#{id}")))
        .expression_attribute_values(":page", AttributeValue::S("PAGE#".into()))
        .send()
        .await
        .unwrap()
        .items
        .unwrap_or_default();
    assert_eq!(pages.len(), PAGES);
    for item in &pages {
        assert_eq!(
            item.get("illustration"),
            Some(&AttributeValue::S("ok".into()))
        );
        assert!(matches!(item.get("text"), Some(AttributeValue::S(t)) if !t.is_empty()));
    }
    let book = clients
        .dynamodb
        .get_item()
        .table_name(&settings.table)
        .key("PK", AttributeValue::S(format!("BOOK#{id}")))
        .key("SK", AttributeValue::S("META".into()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(book.get("status"), Some(&AttributeValue::S("ready".into())));
    assert!(
        !book.contains_key("inflight_pk"),
        "a finished book left the in-flight index"
    );

    // The pictures and the PDF, in S3.
    let objects: Vec<String> = clients
        .s3
        .list_objects_v2()
        .bucket(&settings.bucket)
        .prefix(format!("books/{id}/"))
        .send()
        .await
        .unwrap()
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.key)
        .collect();
    assert_eq!(
        objects.iter().filter(|k| k.ends_with(".png")).count(),
        PAGES,
        "{objects:?}"
    );
    // One PDF and one e-book, under the keys of the typesetting run the book points at.
    let typeset = |ext: &str| {
        objects
            .iter()
            .filter(|k| k.starts_with(&format!("books/{id}/book-")) && k.ends_with(ext))
            .count()
    };
    assert_eq!((typeset(".pdf"), typeset(".epub")), (1, 1), "{objects:?}");

    // The download: a presigned redirect to the PDF.
    let r = call(
        Endpoint::DownloadPdf,
        "GET",
        format!("/v1/books/{id}/book.pdf"),
        None,
    )
    .await;
    assert_eq!(status(&r), 307, "{r}");
    let pdf = storyloom_tests::http()
        .get(header(&r, "location").unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    check_pdf(&pdf, PAGES);

    driver.stop().await;
    // Nothing left over: every message was handled once and deleted.
    for queue in QueueName::ALL {
        assert_eq!(ports.queue.dead_letter_count(queue).await.unwrap(), 0);
        let left = clients
            .sqs
            .get_queue_attributes()
            .queue_url(&settings.queues.work[&(queue, Lane::Standard)])
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(
                aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
            )
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap_or_default();
        assert!(
            left.values().all(|v| v == "0"),
            "{} queue still holds {left:?}",
            queue.as_str()
        );
    }
}
