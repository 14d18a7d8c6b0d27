//! `template.yaml` and the code agree: every declared function has a binary of that name
//! and every binary is declared; each HTTP function routes the method and path its
//! endpoint serves; each stage's batch size, timeout, reserved concurrency, lanes and queue
//! visibility match the mapping the local driver uses. (cfn-lint checks the template itself, in the test
//! script.)

use std::collections::{BTreeMap, BTreeSet};
use storyloom_functions::catalog::{Function, stage_function};
use storyloom_functions::stage::mapping;
use storyloom_tests::lambda::repo_root;

/// The template's resources: logical id -> the lines of its block.
fn resources() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(repo_root().join("template.yaml")).unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut in_resources = false;
    let mut current: Option<String> = None;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_resources = line == "Resources:";
            current = None;
            continue;
        }
        if !in_resources || line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(id) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
            && !id.starts_with(' ')
        {
            current = Some(id.to_owned());
            out.insert(id.to_owned(), Vec::new());
        } else if let Some(id) = &current {
            out.get_mut(id).unwrap().push(line.trim().to_owned());
        }
    }
    out
}

/// The value of the first `key: value` line in a block.
fn value<'a>(block: &'a [String], key: &str) -> Option<&'a str> {
    block
        .iter()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
}

fn declared_functions() -> BTreeMap<String, Vec<String>> {
    resources()
        .into_values()
        .filter(|b| value(b, "Type") == Some("AWS::Serverless::Function"))
        .map(|b| {
            (
                value(&b, "Binary")
                    .expect("every function names its binary")
                    .to_owned(),
                b,
            )
        })
        .collect()
}

#[test]
fn every_declared_function_has_a_binary_and_every_binary_is_declared() {
    let declared: BTreeSet<String> = declared_functions().into_keys().collect();
    let bins: BTreeSet<String> = std::fs::read_dir(repo_root().join("functions/src/bin"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let manifest = std::fs::read_to_string(repo_root().join("functions/Cargo.toml")).unwrap();
    let in_manifest: BTreeSet<String> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|n| *n != "storyloom-functions")
        .map(str::to_owned)
        .collect();
    let catalog: BTreeSet<String> = Function::all()
        .into_iter()
        .map(|f| f.name().to_owned())
        .collect();
    assert_eq!(declared, bins, "template functions vs functions/src/bin");
    assert_eq!(in_manifest, bins, "[[bin]] entries vs functions/src/bin");
    assert_eq!(catalog, bins, "the function catalog vs functions/src/bin");
    for name in &bins {
        assert!(
            repo_root().join(format!("events/{name}.json")).exists(),
            "events/{name}.json is missing"
        );
    }
}

#[test]
fn http_functions_route_their_endpoints() {
    let declared = declared_functions();
    for function in Function::all() {
        let Function::Http(endpoint) = function else {
            continue;
        };
        let block = &declared[function.name()];
        assert_eq!(value(block, "Type"), Some("AWS::Serverless::Function"));
        assert!(
            block.iter().any(|l| l == "Type: HttpApi"),
            "{}",
            function.name()
        );
        assert_eq!(value(block, "Method"), Some(endpoint.method().as_str()));
        assert_eq!(value(block, "Path"), Some(endpoint.path()));
    }
}

#[test]
fn the_probe_function_routes_both_probes_without_the_authorizer() {
    let declared = declared_functions();
    let block = &declared[Function::Probe.name()];
    let paths: Vec<&str> = block
        .iter()
        .filter_map(|l| l.strip_prefix("Path: "))
        .collect();
    assert_eq!(
        paths,
        [storyloom_http::HEALTH_PATH, storyloom_http::READY_PATH]
    );
    assert_eq!(
        block.iter().filter(|l| *l == "Authorizer: NONE").count(),
        2,
        "the probes are public"
    );
}

#[test]
fn stage_functions_match_their_event_source_mappings() {
    let all = resources();
    let declared = declared_functions();
    for queue in storyloom_domain::message::QueueName::ALL {
        let m = mapping(queue);
        let block = &declared[stage_function(queue)];
        let name = stage_function(queue);
        assert_eq!(
            value(block, "BatchSize"),
            Some(m.batch_size.to_string().as_str()),
            "{name}"
        );
        assert_eq!(
            value(block, "Timeout"),
            Some(m.timeout_secs.to_string().as_str()),
            "{name}"
        );
        assert!(
            block.iter().any(|l| l == "- ReportBatchItemFailures"),
            "{name}"
        );
        let logical = format!(
            "{}{}Queue",
            &queue.as_str()[..1].to_uppercase(),
            &queue.as_str()[1..]
        );
        assert_eq!(
            value(block, "Queue"),
            Some(format!("!GetAtt {logical}.Arn").as_str()),
            "{name}"
        );
        assert_eq!(
            value(block, "ReservedConcurrentExecutions"),
            Some(m.reserved_concurrency.to_string().as_str()),
            "{name}"
        );
        assert_eq!(
            value(block, "MaximumConcurrency"),
            Some(m.standard_max_concurrency.to_string().as_str()),
            "{name}: the standard lane's cap"
        );
        assert!(
            m.standard_max_concurrency < m.reserved_concurrency,
            "{name}"
        );
        // The priority lane feeds the same function, batched alike and uncapped.
        let priority = format!("{}Priority{}", &logical[..logical.len() - 5], "Queue");
        let events = block
            .iter()
            .position(|l| l == "PriorityQueue:")
            .unwrap_or_else(|| panic!("{name} has no priority-lane event"));
        let rest = &block[events..];
        assert_eq!(
            value(rest, "Queue"),
            Some(format!("!GetAtt {priority}.Arn").as_str()),
            "{name}"
        );
        assert_eq!(
            value(rest, "BatchSize"),
            Some(m.batch_size.to_string().as_str()),
            "{name}"
        );
        for queue in [&logical, &priority] {
            let q = &all[queue];
            assert_eq!(
                value(q, "VisibilityTimeout"),
                Some(m.visibility_secs.to_string().as_str()),
                "{queue}"
            );
            assert!(
                q.iter().any(|l| l.starts_with("deadLetterTargetArn:")),
                "{queue}"
            );
        }
    }
}

/// Every `Action` of every policy statement in the template, with the statement's effect.
fn statement_actions() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (id, block) in resources() {
        // A resource-based permission's `Action` is not a policy statement's.
        if value(&block, "Type") == Some("AWS::Lambda::Permission") {
            continue;
        }
        let mut effect = String::new();
        let mut lines = block.iter().peekable();
        while let Some(line) = lines.next() {
            let line = line.trim_start_matches("- ");
            if let Some(e) = line.strip_prefix("Effect: ") {
                effect = e.to_owned();
            } else if let Some(inline) = line.strip_prefix("Action:") {
                let inline = inline.trim();
                if !inline.is_empty() {
                    out.push((id.clone(), effect.clone(), inline.to_owned()));
                }
                while let Some(item) = lines.peek().and_then(|l| l.strip_prefix("- ")) {
                    if item.contains(": ") {
                        break;
                    }
                    out.push((id.clone(), effect.clone(), item.to_owned()));
                    lines.next();
                }
            }
        }
    }
    out
}

#[test]
fn no_statement_allows_a_wildcard_action() {
    let actions = statement_actions();
    assert!(
        actions.len() > 50,
        "the parser found too few actions: {actions:?}"
    );
    for (id, effect, action) in &actions {
        assert!(
            matches!(effect.as_str(), "Allow" | "Deny"),
            "{id}: {action} has no effect"
        );
        // The only wildcards are the buckets' TLS-only Denies, which can only take access away.
        if effect == "Allow" {
            assert!(!action.contains('*'), "{id} allows {action}");
        }
    }
    assert!(
        actions
            .iter()
            .all(|(id, effect, action)| !action.contains('*')
                || (effect == "Deny"
                    && ["BlobBucketPolicy", "WebBucketPolicy"].contains(&id.as_str()))),
        "a wildcard action outside the TLS-only deny"
    );
}

#[test]
fn no_policy_grants_every_action_or_every_resource() {
    for (name, block) in declared_functions() {
        for line in &block {
            assert_ne!(line, "Action: \"*\"", "{name}");
            assert_ne!(line, "- \"*\"", "{name}");
            assert_ne!(line, "Resource: \"*\"", "{name}");
        }
    }
}

/// The web app's accounts come from the stack's own user pool unless another identity
/// provider is named: the authorizer's issuer and audience are the pool's, not typed in.
#[test]
fn the_api_trusts_the_stacks_user_pool_and_the_app_is_served_from_its_bucket() {
    let all = resources();
    let api = all.get("HttpApi").expect("the HTTP API");
    let text = api.join("\n");
    assert!(text.contains("!GetAtt UserPool.ProviderURL"), "{text}");
    assert!(text.contains("!Ref UserPoolClient"), "{text}");
    assert!(
        text.contains("https://${WebDistribution.DomainName}"),
        "CORS for the app only: {text}"
    );
    let client = all
        .get("UserPoolClient")
        .expect("the app client")
        .join("\n");
    for needed in [
        "GenerateSecret: false",
        "- code",
        "https://${WebDistribution.DomainName}/",
    ] {
        assert!(
            client.contains(needed),
            "the app client lacks {needed}: {client}"
        );
    }
    assert!(!client.contains("implicit"), "no implicit grant");
    let distribution = all
        .get("WebDistribution")
        .expect("the distribution")
        .join("\n");
    assert!(distribution.contains("!GetAtt WebBucket.RegionalDomainName"));
    assert!(distribution.contains("!GetAtt WebOriginAccessControl.Id"));
    let policy = all
        .get("WebBucketPolicy")
        .expect("the bucket policy")
        .join("\n");
    assert!(
        policy.contains("cloudfront.amazonaws.com")
            && policy.contains("distribution/${WebDistribution}")
    );
}

/// The dashboard and the alarms watch the metrics the code records: every Storyloom metric
/// they name exists, and the dashboard shows each one.
#[test]
fn the_dashboard_and_alarms_name_only_metrics_the_code_records() {
    use storyloom_domain::metrics::names;
    let all = resources();
    let body: Vec<&String> = all["PipelineDashboard"]
        .iter()
        .skip_while(|l| !l.starts_with("DashboardBody:"))
        .skip(1)
        .collect();
    let dashboard: serde_json::Value = serde_json::from_str(
        &body
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .expect("the dashboard body is JSON");
    let mut shown = BTreeSet::new();
    for widget in dashboard["widgets"].as_array().expect("widgets") {
        for m in widget["properties"]["metrics"].as_array().expect("metrics") {
            if m[0] == "Storyloom" {
                shown.insert(m[1].as_str().expect("a metric name").to_owned());
            }
        }
    }
    let recorded: BTreeSet<String> = names::ALL.iter().map(|n| (*n).to_owned()).collect();
    assert_eq!(
        shown, recorded,
        "the dashboard shows exactly the recorded metrics"
    );
    let mut alarmed = 0;
    for block in all.values() {
        for pair in block.windows(2) {
            if pair[0] == "Namespace: Storyloom" {
                let name = pair[1]
                    .strip_prefix("MetricName: ")
                    .expect("MetricName follows Namespace");
                assert!(
                    recorded.contains(name),
                    "an alarm watches {name}, which nothing records"
                );
                alarmed += 1;
            }
        }
    }
    // Four stage latencies, failures (two series) and spend.
    assert_eq!(alarmed, 7);
}

#[test]
fn the_websocket_api_routes_to_its_functions_and_the_stream_feeds_the_notifier() {
    use storyloom_functions::live::{NOTIFIER, Socket};
    let all = resources();
    let declared = declared_functions();
    for (route, socket) in [
        ("$connect", Socket::Connect),
        ("$disconnect", Socket::Disconnect),
        ("subscribe", Socket::Subscribe),
        ("$default", Socket::Subscribe),
    ] {
        let block = all
            .values()
            .find(|b| {
                value(b, "Type") == Some("AWS::ApiGatewayV2::Route")
                    && value(b, "RouteKey") == Some(route)
            })
            .unwrap_or_else(|| panic!("no {route} route"));
        let target = value(block, "Target").unwrap();
        let integration = target
            .trim_start_matches("!Sub \"integrations/${")
            .trim_end_matches("}\"");
        let uri = value(&all[integration], "IntegrationUri").unwrap();
        let function = declared
            .iter()
            .find(|(_, b)| uri.contains(&format!("${{{}.Arn}}", logical_id(&all, b))))
            .map(|(name, _)| name.as_str());
        assert_eq!(function, Some(socket.function_name()), "{route}");
    }
    // Only the functions that push are told where to, and may.
    for (name, block) in &declared {
        let pushes = block.iter().any(|l| l.starts_with("LIVE_ENDPOINT: "));
        let may = block.iter().any(|l| l == "- execute-api:ManageConnections");
        let should = name == Socket::Subscribe.function_name() || name == NOTIFIER;
        assert_eq!((pushes, may), (should, should), "{name}");
    }
    let notifier = &declared[NOTIFIER];
    assert!(
        notifier.iter().any(|l| l == "Type: DynamoDB"),
        "{notifier:?}"
    );
    assert_eq!(
        value(notifier, "Stream"),
        Some("!GetAtt BooksTable.StreamArn")
    );
    assert!(notifier.iter().any(|l| l == "- ReportBatchItemFailures"));
    assert_eq!(
        value(&all["BooksTable"], "StreamViewType"),
        Some("KEYS_ONLY"),
        "the notifier reads the book itself"
    );
}

/// The logical id of a function's block.
fn logical_id<'a>(all: &'a BTreeMap<String, Vec<String>>, block: &[String]) -> &'a str {
    all.iter()
        .find(|(_, b)| b.as_slice() == block)
        .map(|(id, _)| id.as_str())
        .unwrap_or_default()
}
