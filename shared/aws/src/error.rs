//! SDK errors in the domain's terms: throttling, 5xx, timeouts and dropped connections are
//! transient (retry with backoff); anything else a request got wrong is permanent.

// Every SDK crate re-exports the same smithy error types; DynamoDB's serve for all four.
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use storyloom_domain::Error;

/// Error codes that mean "try again later" across DynamoDB, SQS, S3 and Secrets Manager.
const TRANSIENT_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "TransactionConflictException",
    "InternalServerError",
    "InternalFailure",
    "InternalError",
    "InternalServiceError",
    "ServiceUnavailable",
    "SlowDown",
    "RequestTimeout",
    "KMSThrottlingException",
    // API Gateway's management API: too many pushes, or the client's buffer is full.
    "LimitExceededException",
    "AWS.SimpleQueueService.ServiceUnavailable",
];

/// Whether a service error is worth retrying.
pub(crate) fn is_transient_code(code: Option<&str>) -> bool {
    code.is_some_and(|c| TRANSIENT_CODES.contains(&c))
}

/// Classifies an SDK error; `what` says what was being done, for the message.
pub(crate) fn classify<E, R>(what: &str, e: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let transient = match &e {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(se) => is_transient_code(se.err().code()),
        _ => false,
    };
    let detail = format!("{what}: {}", DisplayErrorContext(&e));
    if transient {
        Error::Transient(detail)
    } else {
        Error::Permanent(detail)
    }
}

/// The service error's code, if the error came from the service.
pub(crate) fn code<E, R>(e: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match e {
        SdkError::ServiceError(se) => se.err().code(),
        _ => None,
    }
}
