//! Schedule: sends dead-lettered stage messages round again.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::job::serve(storyloom_functions::job::Job::RedriveDeadLetters).await
}
