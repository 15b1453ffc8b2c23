def to_plan_yaml(*a, **k): raise NotImplementedError
