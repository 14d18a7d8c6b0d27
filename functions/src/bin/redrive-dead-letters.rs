//! Schedule: redrives dead-lettered stage messages a bounded number of times, then fails
//! their unit of work.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::job::serve(storyloom_functions::job::Job::RedriveDeadLetters).await
}
