// Every edge a reference of the review supports.
// @param ref string  (a reference number such as 19, or review)
MATCH (a:Entity)-[r]->(b:Entity)
WHERE $ref IN r.refs
RETURN a.id AS source, r.relation AS relation, b.id AS target, r.level AS level
ORDER BY source, relation, target
