"""Identity linkage: the same mother, child or official recorded by a clinic, the civil registry, a
shelter and the police, found as one person, with the reasons shown and a person to confirm.

Built on Splink (DuckDB locally, Spark at national scale); what Splink lacks for Indonesia (names,
NIK-derived facts, region hierarchy) is in `jaga.names`, `features` and `model`.
"""
