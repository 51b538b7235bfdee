// Placeholder until the index lands.
