//! screening-app use cases on a real store in a temporary directory.

mod review;
