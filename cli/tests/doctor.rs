//! `storyloom doctor --aws`: every missing resource is a failed check with a fix, and the
//! same checks pass once the stack's resources exist.

#[cfg(feature = "aws")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_aws_resources_fail_until_they_are_provisioned() {
    use storyloom_cli::doctor::{DoctorOptions, run};
    let endpoint = std::env::var("STORYLOOM_MOTO_URL")
        .expect("STORYLOOM_MOTO_URL is not set: run the tests with `bash scripts/test.sh`");
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("doctor{}", std::process::id());
    let options = DoctorOptions {
        data: dir.path().to_owned(),
        fonts: None,
        addr: "127.0.0.1:0".parse().unwrap(),
        aws: Some((endpoint.clone(), prefix.clone())),
    };
    let before = run(&options).await;
    let failed: Vec<_> = before.iter().filter(|c| !c.ok).collect();
    // Table, bucket, four stages' two lanes with their dead-letter queues, the signing key.
    assert_eq!(failed.len(), 2 + 4 * 2 * 2 + 1, "{before:#?}");
    assert!(
        failed
            .iter()
            .all(|c| c.fix.as_deref().is_some_and(|f| f.contains(&prefix)))
    );

    storyloom_cli::aws_mode::create_resources(&endpoint, &prefix, 5)
        .await
        .unwrap();
    storyloom_cli::aws_authority(&endpoint, &prefix)
        .await
        .unwrap();
    let after = run(&options).await;
    assert!(after.iter().all(|c| c.ok), "{after:#?}");
}
