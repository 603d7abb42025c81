// Therapies for a target: what targets, blocks, activates, binds, kills, supplies (a recombinant
// form, a transgene) an entity, directly or as a member of a class that does: a member inherits
// its class's stated mechanism, and `via` names the therapy or class the edge is stated of.
// @param target entity  (id, name or synonym, e.g. PD-1)
MATCH (t:Entity)-[:SUBTYPE_OF*0..3]->(c:Entity)-[r:TARGETS|INHIBITS|ACTIVATES|BINDS|KILLS|FORM_OF|EXPRESSES]->(x:Entity {id: $target})
WHERE t.kind IN ['therapy', 'therapy_class'] AND c.kind IN ['therapy', 'therapy_class']
RETURN DISTINCT t.id AS therapy, t.name AS name, t.kind AS kind, t.modality AS modality,
       r.relation AS relation, c.id AS via, r.level AS level, r.refs AS refs
ORDER BY therapy, relation, via
