#!/usr/bin/env bash
# Code lines (not blank, not a comment line) of the four trainers and their support, before the one-loop
# consolidation (commit 62a17c2) and at a revision (default HEAD): the size table of docs/ARCHITECTURE.md.
# Usage: benchmarks/count-loop-lines.sh [REV]
set -euo pipefail
rev="${1:-HEAD}"
count() { # rev files...
  local r="$1"; shift; local total=0
  for f in "$@"; do
    n=$(git show "$r:$f" 2>/dev/null | grep -v '^\s*$' | grep -v '^\s*//' | grep -v '^\s*\*' | grep -v '^\s*/\*\*' | wc -l)
    total=$((total + n))
  done
  echo "$total"
}
B=bilevel/src/main/java/org/hypergrad4j/bilevel/train
H=hypernets/src/main/java/org/hypergrad4j/hypernets
D=hypergrad/src/main/java/org/hypergrad4j
old=62a17c2
printf '| part | before (%s) | %s |\n| --- | ---: | ---: |\n' "$old" "$rev"
row() { printf '| %s | %s | %s |\n' "$1" "$2" "$3"; }
t_old=$(count $old $B/JointTrainer.java $B/UnrolledJointTrainer.java $H/stn/StnTrainer.java $H/hypernet/HypernetTrainer.java)
t_new=$(count "$rev" $B/JointTrainer.java $B/UnrolledJointTrainer.java $H/stn/StnTrainer.java $H/hypernet/HypernetTrainer.java)
l_old=$(count $old $B/TrainingListener.java $B/TrainingSummary.java $H/hypernet/HypernetListener.java $H/hypernet/HypernetSummary.java $H/stn/StnListener.java)
l_new=$(count "$rev" $B/TrainingListener.java $B/TrainingSummary.java $B/UnitEvent.java)
s_new=$(count "$rev" $B/TrainingLoop.java $B/TrainingState.java $B/RecordText.java)
c_old=$(count $old $B/Checkpoints.java)
c_new=$(count "$rev" $B/Checkpoints.java $B/TensorBytes.java)
g_old=$(count $old $B/TrainerConfig.java $H/stn/StnConfig.java $H/hypernet/HypernetTrainerConfig.java)
g_new=$(count "$rev" $B/TrainerConfig.java $H/stn/StnConfig.java $H/hypernet/HypernetTrainerConfig.java)
m_old=$(count $old $B/MinibatchSchedule.java experiments/src/main/java/org/hypergrad4j/experiments/data/MinibatchIterator.java $D/hypergrad/MinibatchSampler.java)
m_new=$(count "$rev" $D/data/MinibatchSchedule.java $D/data/SeedStream.java $D/hypergrad/MinibatchSampler.java)
row "the four trainers" "$t_old" "$t_new"
row "listeners, summaries, unit events" "$l_old" "$l_new"
row "the shared loop, its state and event history (TrainingLoop, TrainingState, RecordText)" "0" "$s_new"
row "checkpoint format (Checkpoints, TensorBytes)" "$c_old" "$c_new"
row "configurations (TrainerConfig, StnConfig, HypernetTrainerConfig)" "$g_old" "$g_new"
row "minibatch schedules and seed mixing" "$m_old" "$m_new"
row "total" "$((t_old + l_old + c_old + g_old + m_old))" "$((t_new + l_new + s_new + c_new + g_new + m_new))"
