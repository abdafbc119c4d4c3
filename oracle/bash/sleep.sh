sleep 0
echo $?
sleep
echo $?
sleep abc
echo $?
sleep 1x
sleep -1
sleep 0.01s
echo $?
sleep 0 0s 0m 0h 0d
echo $?
sleep .0
sleep 0e1
echo $?
sleep ''
echo end
