//! SDK errors in the domain's terms: throttling, 5xx, timeouts, dropped connections and
//! answers that could not be read are transient (retry with backoff); anything else a
//! request got wrong is permanent.

// Every SDK crate re-exports the same smithy error types; DynamoDB's serve for all.
use aws_sdk_dynamodb::config::http::HttpResponse;
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
    // Bedrock Runtime: a model slow to answer, still loading, or over its quota.
    "ModelTimeoutException",
    "ModelNotReadyException",
    "ServiceQuotaExceededException",
];

/// Whether a service error is worth retrying.
pub(crate) fn is_transient_code(code: Option<&str>) -> bool {
    code.is_some_and(|c| TRANSIENT_CODES.contains(&c))
}

/// Whether an SDK error is worth retrying: no answer, an answer cut short, a code that
/// says so, a 2xx the SDK could not read (a garbled answer) or a 5xx (a load balancer or
/// proxy failing on the way answers without a code).
pub(crate) fn is_transient<E>(e: &SdkError<E, HttpResponse>) -> bool
where
    E: ProvideErrorMetadata,
{
    match e {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            is_transient_code(se.err().code()) || (200..300).contains(&status) || status >= 500
        }
        _ => false,
    }
}

/// Classifies an SDK error; `what` says what was being done, for the message.
pub(crate) fn classify<E>(what: &str, e: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let transient = is_transient(&e);
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

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::operation::get_item::GetItemError;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn answered(status: u16, code: Option<&str>) -> SdkError<GetItemError, HttpResponse> {
        let mut meta = ErrorMetadata::builder();
        if let Some(code) = code {
            meta = meta.code(code);
        }
        let status = StatusCode::try_from(status).expect("a valid status");
        SdkError::service_error(
            GetItemError::generic(meta.build()),
            HttpResponse::new(status, SdkBody::from("<html>")),
        )
    }

    #[test]
    fn garbled_answers_and_failures_on_the_way_are_worth_another_try() {
        assert!(is_transient(&answered(200, None)), "a garbled answer");
        assert!(is_transient(&answered(502, None)), "a proxy's 502");
        assert!(is_transient(&answered(400, Some("ThrottlingException"))));
        assert!(!is_transient(&answered(400, Some("ValidationException"))));
        assert!(!is_transient(&answered(404, None)));
        let e = classify("reading", answered(403, Some("AccessDeniedException")));
        assert!(matches!(e, Error::Permanent(m) if m.starts_with("reading: ")));
    }
}
