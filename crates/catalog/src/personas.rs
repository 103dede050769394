//! The built-in sample personas over the demo catalog.
//!
//! STUB — being written (helper A).

use screening_core::Persona;

/// Reality TV fan, Documentary viewer, Kids & family, True-crime binger, Sports fan, New viewer.
pub fn sample_personas() -> Vec<Persona> {
    Vec::new()
}
