//! The port contracts against the embedded adapters.

storyloom_tests::contract_tests!(storyloom_tests::fixture::embedded::fixture());
storyloom_tests::contract_tests!(@concurrency storyloom_tests::fixture::embedded::fixture());
