// Direct drivers and brakes of an outcome (default: peritoneal metastasis), strongest evidence first.
// @param outcome entity = peritoneal_metastasis
MATCH (x:Entity)-[r:PROMOTES|INHIBITS]->(o:Entity {id: $outcome})
RETURN x.id AS entity, x.name AS name, x.kind AS kind, r.sign AS sign,
       r.level AS level, r.refs AS refs
ORDER BY sign, entity
