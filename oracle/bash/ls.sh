echo x > b
echo y > a
ls
ls a
ls nosuch
echo $?
ls -1
ls . 
ls a nosuch b
