"""`tf.ConfigProto`, `tf.GPUOptions`, `tf.RunOptions`, `tf.RunMetadata`: the protocol buffers a
TF1 program hands its Session (`tf.Session(config=tf.ConfigProto(allow_soft_placement=True))`,
`config.gpu_options.allow_growth = True`). The engine runs every op on the CPU in one process,
so it keeps what they say and needs none of it; a field TF1's message lacks is TF1's error, so
a misspelt option is not silently dropped.
"""


class _Message:
    """A protocol buffer message as TF1 code handles one: fields with defaults, set by keyword
    or attribute, and nothing else."""

    FIELDS = {}

    def __init__(self, **fields):
        for name, value in type(self).FIELDS.items():
            object.__setattr__(self, name, value() if callable(value) else value)
        for name, value in fields.items():
            self._check(name, ValueError)
            object.__setattr__(self, name, value)

    def _check(self, name, error):
        if name not in type(self).FIELDS:
            raise error(f'Protocol message {type(self).__name__} has no "{name}" field.')

    def __setattr__(self, name, value):
        self._check(name, AttributeError)
        object.__setattr__(self, name, value)

    def __repr__(self):
        changed = {name: getattr(self, name) for name in type(self).FIELDS}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in changed.items())})"


class GPUOptions(_Message):
    """How TF1 would share a GPU (`allow_growth`, `per_process_gpu_memory_fraction`...)."""

    FIELDS = {"allow_growth": False, "per_process_gpu_memory_fraction": 0.0, "visible_device_list": "",
              "allocator_type": "", "deferred_deletion_bytes": 0, "polling_active_delay_usecs": 0,
              "polling_inactive_delay_msecs": 0, "force_gpu_compatible": False}


class GraphOptions(_Message):
    """TF1's graph optimizer switches."""

    FIELDS = {"enable_recv_scheduling": False, "build_cost_model": 0, "build_cost_model_after": 0,
              "infer_shapes": False, "place_pruned_graph": False, "enable_bfloat16_sendrecv": False,
              "timeline_step": 0}


class ConfigProto(_Message):
    """A Session's configuration: devices, threads, placement logging."""

    FIELDS = {"device_count": dict, "intra_op_parallelism_threads": 0, "inter_op_parallelism_threads": 0,
              "use_per_session_threads": False, "allow_soft_placement": False,
              "log_device_placement": False, "gpu_options": GPUOptions, "graph_options": GraphOptions,
              "operation_timeout_in_ms": 0, "device_filters": list, "isolate_session_state": False}


class RunOptions(_Message):
    """Options of one `Session.run` (`trace_level=tf.RunOptions.FULL_TRACE`)."""

    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    FIELDS = {"trace_level": 0, "timeout_in_ms": 0, "inter_op_thread_pool": 0,
              "output_partition_graphs": False, "report_tensor_allocations_upon_oom": False}


class RunMetadata(_Message):
    """What a traced run reports; the engine records no trace, so its fields stay empty."""

    FIELDS = {"step_stats": dict, "cost_graph": dict, "partition_graphs": list}
