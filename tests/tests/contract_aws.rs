//! The port contracts against the AWS adapters, on `moto_server`.
//!
//! The concurrency cases are left out: `moto_server` handles requests on parallel threads
//! without isolating conditional writes from each other (two racing transactions can both
//! pass the same condition), which DynamoDB guarantees. The store's fan-in and counters
//! rely on that guarantee; on moto they are exercised one writer at a time.

storyloom_tests::contract_tests!(storyloom_tests::fixture::aws::fixture());
