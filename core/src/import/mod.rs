//! Hardware-token seed files.
