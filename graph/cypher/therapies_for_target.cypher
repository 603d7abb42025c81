// Therapies for a target: what targets, blocks, activates, binds or kills an entity.
// @param target entity  (id, name or synonym, e.g. PD-1)
MATCH (t:Entity)-[r:TARGETS|INHIBITS|ACTIVATES|BINDS|KILLS]->(x:Entity {id: $target})
WHERE t.kind IN ['therapy', 'therapy_class']
RETURN t.id AS therapy, t.name AS name, t.kind AS kind, t.modality AS modality,
       r.relation AS relation, r.level AS level, r.refs AS refs
ORDER BY therapy, relation
