"""The live classroom: class records, the hub that carries a class across workers and
machines, a student's membership and the teacher's dashboard (docs/protocol.md, "Classes")."""
