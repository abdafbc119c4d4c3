echo x > file
mkdir_not_supported=1
cd file
echo $?
cd nosuch
cd a b
cd /
echo $OLDPWD $PWD | grep -c /
cd
pwd | grep -c /
