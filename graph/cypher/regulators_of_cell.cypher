// What recruits, polarizes, activates, inhibits or kills a cell type or state.
// @param cell entity  (id, name or synonym, e.g. "SPP1+ TAM" or "CD8+ T cell")
MATCH (x:Entity)-[r:RECRUITS|POLARIZES|ACTIVATES|INHIBITS|KILLS]->(c:Entity {id: $cell})
RETURN x.id AS regulator, x.name AS name, x.kind AS kind,
       r.relation AS relation, r.sign AS sign, r.level AS level, r.refs AS refs
ORDER BY relation, regulator
