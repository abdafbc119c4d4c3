# kill %N on a job that has finished but is still in the table: without job control bash
# signals the job's live processes only, so it says nothing and succeeds (bash -c forgets it)
echo start
sleep 0.1 & sleep 0.5; kill %1; echo "kill %1: $?"
sleep 0.1 & sleep 0.5
kill %1 %2; echo "kill %1 %2: $?"
jobs
kill %1; echo "kill after jobs: $?"
sleep 0.1 & sleep 0.5; wait; kill %1; echo "kill after wait: $?"
