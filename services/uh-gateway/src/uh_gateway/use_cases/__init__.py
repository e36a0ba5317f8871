"""One function per write: the API validates input, these apply the rules and call UH."""
