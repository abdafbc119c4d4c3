false
exit 1 2
echo "still here: $?"
exit -1
