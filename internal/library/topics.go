package library

// Topic is one shelf of the library. Key is what front matter names in
// "topic:"; Label is what a reader sees.
type Topic struct {
	Key   string
	Label string
}

// Topics returns the library's topics in reading order: first what a
// community adds itself (local crisis lines and groups matter most), then
// what migraine is, then how attacks unfold and the types, then what helps,
// and last the safety page. It returns a fresh slice on every call so no
// caller can reorder the library for everyone else.
func Topics() []Topic {
	return []Topic{
		{"local", "From your community"},
		{"basics", "Migraine basics"},
		{"phases", "Phases of an attack"},
		{"types", "Types of migraine"},
		{"treatments", "Treatments"},
		{"triggers", "Triggers and patterns"},
		{"tracking", "Tracking"},
		{"toolkit", "Your toolkit"},
		{"community", "Community and support"},
		{"safety", "Safety and urgent care"},
	}
}

// TopicByKey returns the topic with that key, and false for a key that is
// not one of Topics.
func TopicByKey(key string) (Topic, bool) {
	for _, t := range Topics() {
		if t.Key == key {
			return t, true
		}
	}
	return Topic{}, false
}
